-- A role the settings gave used to be stored with the resident, so taking someone out of
-- WIJKSTEM_WORKERS or WIJKSTEM_TEAM did not take their rights away. From now on the settings
-- are read each turn and only a role joined with a one-time code is stored.
UPDATE residents SET role = 'resident'
WHERE role != 'resident' AND id NOT IN (
    SELECT actor_id FROM audit_log WHERE action = 'joined' AND actor_id IS NOT NULL
);
