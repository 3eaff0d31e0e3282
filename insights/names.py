"""Word lists for spotting personal names: common first names, name particles, and non-names.

A first name alone is not personal data; these lists only help recognise a full name (a
first name followed by a family name) in the residents' languages.
"""

from __future__ import annotations


def _words(*groups: str) -> frozenset[str]:
    return frozenset(word for group in groups for word in group.split())


# Common first names in the residents' languages, in Latin script and in their own script.
# Left out on purpose: first names that are also everyday words ("Ben" is Dutch and Turkish
# for "am" / "I", "Can", "Will", "May", "Tiny", "Roos"), which would turn sentences into names.
FIRST_NAMES = _words(
    # Dutch and Limburgish
    """Jan Piet Kees Henk Gerard Hans Peter Johan Willem Wim Jos Sjef Sjaak Har Huub Math
    Mathieu Frans Jacques Joep Thijs Bram Daan Lars Sem Luuk Tim Tom Ruud Rob Erik Marco
    Martijn Bart Dennis Twan Guus Jeroen Sander Niels Stefan Jeu Lambert Servé Paul Harrie
    Ria Truus Annie Anny Mia Marij Marie Maria Anna Els Ingrid Monique Yvonne Wilma Linda
    Sandra Petra Sanne Lotte Emma Julia Sophie Fleur Eva Anouk Lieke Tessa Ilse Marieke Mieke
    Riet Corrie Gerda Lies Jeanne Bep Mien Thea Leny Hanneke Annemiek Jolanda Marlies Chantal
    Nicole Rianne Elise Louise Denise Mariëlle Jeannine Lieske Mariska Esther Femke Ellen Carla
    Karin Astrid""",
    # Arabic, Moroccan, Syrian, Iraqi (Latin spellings)
    """Mohamed Mohammed Muhammad Mohammad Mohamad Ahmed Ahmad Ali Omar Youssef Yusuf Youssouf
    Ibrahim Khalid Khaled Hassan Hussein Hussain Mustafa Mostafa Karim Rachid Rashid Samir
    Nabil Hamza Bilal Ayoub Anas Tarik Tariq Adil Abdel Abdelkader Abdullah Abdallah Said
    Walid Yassin Yassine Mahmoud Mahmood Ismail Driss Jamal Amin Rami Fadi Ziad Majid
    Fatima Fatiha Aisha Aicha Khadija Maryam Zainab Zeinab Nour Noor Salma Layla Leila Huda
    Amina Rania Yasmin Yasmina Nadia Samira Naima Latifa Malika Hanan Loubna Siham Souad
    Ikram Imane Houda Dina Lina Rasha Hiba Asma Ghada Reem Rim Sana Sanaa Wafa""",
    # Turkish and Kurdish
    """Mehmet Ahmet Mustafa Hüseyin Hasan İbrahim Ismail İsmail Osman Murat Emre Burak Ömer
    Fatih Kemal Serkan Hakan Yusuf Erdem Ercan Kaan Cem Baran Volkan Selim Orhan Recep Halil
    Ayşe Fatma Emine Hatice Zeynep Elif Merve Özlem Esra Büşra Hülya Sevgi Derya Gül Yasemin
    Songül Leyla Meryem Dilek Sibel Aysel Nesrin Gülsüm Hacer Şeyma Rabia Kübra Melek Aylin""",
    # Polish
    """Anna Katarzyna Małgorzata Agnieszka Krystyna Barbara Ewa Elżbieta Zofia Joanna Magdalena
    Monika Agata Aleksandra Dorota Beata Justyna Karolina Natalia Paulina Iwona Marta
    Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Jakub Łukasz Grzegorz Mateusz Wojciech
    Kamil Dariusz Marek Adam Rafał Robert Sebastian Szymon Przemysław Bartosz Artur""",
    # Ukrainian and Russian (Latin transliterations)
    """Olena Oleksandr Olexandr Andrii Andriy Ivan Nataliia Natalia Olga Olha Tetiana Tatiana
    Yulia Yuliia Oksana Iryna Irina Svitlana Svetlana Serhii Sergei Sergey Dmytro Dmitry Viktor
    Volodymyr Vladimir Mykola Nikolai Petro Yurii Yuri Maksym Maxim Artem Bohdan Viktoriia
    Kateryna Ekaterina Anastasiia Anastasia Liudmyla Lyudmila Halyna Valentyna Nadiia Vasyl
    Mykhailo Oleh Oleg Pavlo Taras Ihor Igor Yevhen Oleksii Alexei Denys Vadym Yana
    Daryna Sofiia Alina Inna Larysa Lesia Khrystyna Vira Zoya""",
    # Somali
    """Abdi Abdullahi Abdirahman Abdirahim Cabdi Cabdullahi Cali Maxamed Mohamud Faarax Farah
    Hodan Hawa Ayaan Sahra Sagal Nasra Hibo Ifrah Idil Faadumo Xawo Muna Ubah Warsame Liban
    Guled Yasin Abshir Khadar Deeqa Filsan Nimco Ruqia Sucaad Hamdi Hassan Ismaaciil""",
    # Eritrean and Ethiopian (Latin spellings)
    """Tesfay Tesfaye Yonas Yohannes Mehari Berhane Berhe Semere Dawit Kidane Filmon Haben
    Senait Selam Semhar Saba Feven Winta Luwam Yordanos Mebrat Tsega Yemane Teklay Goitom
    Merhawi Freweini Hiwet Helen Ruth Abraham Samuel Mussie Aman Robel Rahel Eden Milena""",
    # Persian and Afghan (Latin spellings)
    """Reza Hossein Mehdi Amir Hamid Saeed Maryam Zahra Fatemeh Sara Narges Shirin Parisa Mina
    Nasrin Farzaneh Roya Azadeh Babak Kaveh Dariush Arash Farid Navid Omid Habib Jawad Sohrab
    Farhad Mahnaz Soraya Zohreh Shabnam Mariam Nasir Wahid Gulalai Parwin Freshta""",
    # German
    """Klaus Jürgen Wolfgang Uwe Dieter Günter Günther Thomas Michael Andreas Frank Markus Lukas
    Jonas Felix Maximilian Sabine Ursula Claudia Susanne Andrea Anja Katrin Birgit Heike
    Gabriele Lena Lea Hannah Helga Ingeborg Gisela Renate Manfred Horst Heinz Helmut Jens""",
    # French
    """Jean Pierre Sophie Camille Julien Nicolas Philippe Michel Alain Céline Nathalie Isabelle
    Sylvie Christine Élodie Amélie Louis Lucas Hugo Théo Manon Léa Chloé Antoine François
    Françoise Sébastien Olivier Thierry Patrick Aurélie Mathilde Juliette Margaux Benoît""",
    # English and West African
    """Daniel Sarah John James David Richard George Mark Matthew Andrew Joseph Benjamin Jack
    Oliver Harry Charlie Emily Olivia Jessica Laura Mary Elizabeth Jennifer Lisa Karen Susan
    Kate Anne Grace Chloe Rachel Rebecca Chris Emmanuel Chinedu Ngozi Chidi Oluwaseun Kwame
    Ama Kofi Abena Blessing Esther Victoria Stephen Peter Simon""",
    # In their own scripts: Arabic, Persian, Cyrillic, Ge'ez (Tigrinya)
    """محمد أحمد احمد علي عمر يوسف إبراهيم ابراهيم خالد حسن حسين مصطفى كريم محمود سعيد سامي
    رشيد وليد ياسين عبدالله فاطمة عائشة خديجة مريم زينب نور سارة ليلى هدى أمينة امينة رانيا
    سلمى ياسمين نادية سميرة حنان ريم لينا دينا هبة أسماء
    علی رضا حسین مهدی امیر حمید سعید زهرا فاطمه سارا لیلا شیرین نرگس مینا""",
    """Олена Олександр Андрій Іван Марія Анна Наталія Наталья Ольга Тетяна Татьяна Юлія Юлия
    Оксана Ірина Ирина Світлана Светлана Сергій Сергей Дмитро Дмитрий Віктор Володимир
    Владимир Микола Николай Петро Юрій Юрий Максим Артем Богдан Вікторія Виктория Катерина
    Екатерина Анастасія Анастасия Людмила Галина Валентина Алла Марина Надія Надежда Василь
    Михайло Михаил Олег Павло Тарас Ігор Игорь Євген Евгений Олексій Алексей Денис
    Вадим Яна Дарина Софія София Аліна Алина Інна Лариса Леся Христина Віра Вера""",
    """ሳባ ዮናስ ሰላም ዳዊት ተስፋይ ሰምሃር ሉዋም ዮሃንስ መሓሪ ብርሃነ ፍሉይ ሄለን""",
)

# First names left out above because they are everyday words too: only right after "my name
# is" and its kin do they name someone ("Ik heet Ben", "Benim adım Can", "My name is Will").
NAMES_ALSO_WORDS = _words("Ben Can Will May June April Mei")

# Words between a first and a family name: Dutch tussenvoegsels, Arabic, German, French, …
PARTICLES = _words(
    """van de der den het ter ten te 't vd v.d. el al ben bin ibn abu bou ait von zu vom
    du des da dos das di del della la le mc mac""",
)

# Capitalised words that follow a first name but are no family name: places, organisations,
# days and months, and everyday words that open a sentence.
NOT_NAMES = _words(
    # places around the residents
    """pottenberg nazareth maastricht limburg nederland holland belgië belgie belgium
    duitsland germany amsterdam rotterdam utrecht haag eindhoven heerlen sittard venlo
    luik liège aken aachen wyck malberg caberg daalhof
    dousberg limmel wyckerpoort amby heer heugem randwyck mariaberg boschpoort brusselsepoort
    ceramique céramique mosae maas meuse centrum west oost noord zuid""",
    # organisations and services
    """trajekt envida woonpunt servatius mondriaan digid gemeente provincie ggd uwv svb cjg
    mumc mumc+ azm ziekenhuis huisarts school buurthuis voedselbank whatsapp telegram facebook
    google instagram jumbo albert heijn aldi lidl action hema""",
    # days and months (nl, en, de, fr)
    """maandag dinsdag woensdag donderdag vrijdag zaterdag zondag monday tuesday wednesday
    thursday friday saturday sunday montag dienstag mittwoch donnerstag freitag samstag sonntag
    lundi mardi mercredi jeudi vendredi samedi dimanche januari februari maart april mei juni
    juli augustus september oktober november december january february march may june july
    august october""",
    # everyday words that may be capitalised after a name
    """ik je jij u we wij ze zij hij het de een en of maar want dus ook nog niet wel is ben
    bent was heeft heb hebben kan kun wil zal dank bedankt groet groeten groetjes hallo hoi
    i you he she we they it the a an and or but so not is am are was has have can will thanks
    thank hello hi please ich du er sie es wir ihr und oder aber nicht danke hallo bitte
    je tu il elle nous vous ils et ou mais merci bonjour ben sen o biz siz onlar ve ama
    teşekkürler merhaba ja ty on ona my wy oni dziękuję cześć als dat die wat wie waar hoe toen
    voor met door naar bij aan uit la le les el los las un une""",
    # words around a phone number or e-mail address
    """tel telefoon telefon phone mobiel mob gsm mail email e-mail whatsapp app nummer numer
    number contact kontakt bel bellen call""",
    # words that follow "I am" without being a name
    """dutch french moroccan afghan somali iraqi arab muslim moslim single student new not
    nederlander marokkaan turk syriër alleenstaande moeder vader mama papa oma opa""",
    # words in capitals after "ik heet", "groeten" or "buurman" that are no name ("Ik heet
    # Jullie welkom", "Groetjes Allemaal", "Liebe Grüße Euch allen", "buurman Gisteren ...")
    # (not "Wijk" or "Buurt": "Jan van Wijk" is a family name)
    """jullie iedereen allemaal allen mij jou jouw mijn onze uw welkom team wijkteam
    buurtteam bestuur familie fam bewoners buren gisteren vandaag morgen toen daarna jongens
    meiden dames heren everyone all everybody yours guys folks mate euch dich dir ihnen alle
    herzlich aus vom serdecznie wszystkim wszystkich herkese hepinize""",
    # words after "اسمي", "نام من" or "جاري" that are no name: with no capitals to tell, the
    # words that most often follow such a cue ("اسمي في القائمة", my name is on the list;
    # "نام من در لیست نیست", my name is not on the list)
    """في على عن الى إلى مع من عند ما لا مش ليس غير كان صار هو هي انا أنا بس كتير شكرا
    لكم لك للجميع الجميع مكتوب موجود فضلك التحميل
    در را رو هم به از با و که این آن شما همه تو چیه چیست نیست""",
)
