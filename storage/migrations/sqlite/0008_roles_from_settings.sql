-- A role the settings gave used to be stored with the resident, so taking someone out of
-- WIJKSTEM_WORKERS or WIJKSTEM_TEAM did not take their rights away. From now on the settings
-- are read each turn and only a role joined with a one-time code is stored.
-- menu_role: the role whose command menu the channel last gave this person's chat (NULL: the
-- residents' menu), so a menu can be taken away again when the role goes.
ALTER TABLE residents ADD COLUMN menu_role TEXT;
-- Stored roles had their menu set at start-up; reset them all, and the sync corrects the rest.
UPDATE residents SET menu_role = role WHERE role != 'resident';
UPDATE residents SET role = 'resident'
WHERE role != 'resident' AND id NOT IN (
    SELECT actor_id FROM audit_log WHERE action = 'joined' AND actor_id IS NOT NULL
);
