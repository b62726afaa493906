-- Group roles for v2 (owner, admin, member). The enum is widened first so existing rows can be
-- rewritten in place, then narrowed: no row is ever outside the enum of the moment.
-- Classic clients still see "creator"/"normal": the gateway maps roles where it renders the
-- classic login ack.
ALTER TABLE group_members MODIFY role ENUM('creator', 'normal', 'owner', 'admin', 'member') NOT NULL;
UPDATE group_members SET role = IF(role = 'creator', 'owner', 'member') WHERE role IN ('creator', 'normal');
ALTER TABLE group_members MODIFY role ENUM('owner', 'admin', 'member') NOT NULL;
