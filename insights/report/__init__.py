"""The dialogue session pack: what residents said, for the table, Excel and Power BI."""
