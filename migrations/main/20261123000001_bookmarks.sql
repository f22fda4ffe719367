-- Bookmark groups ("bm-groups", as the original BMW called them): a user's named groups of
-- stops, in the user's order, each stop optionally narrowed to some routes, with the minutes
-- it takes to walk there. Stops and routes are kept by their public ids ("<feed>:<id>") and
-- their names when last seen, so a feed re-import never deletes what a user saved: a stop
-- that vanished shows as "no longer in the feed" and comes back if it returns.

CREATE TABLE bookmark_groups (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    position   INTEGER NOT NULL,             -- 0, 1, 2… per user, no gaps
    created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX bookmark_groups_unique_name ON bookmark_groups(user_id, name COLLATE NOCASE);
CREATE INDEX bookmark_groups_by_user ON bookmark_groups(user_id, position);

CREATE TABLE bookmarks (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES bookmark_groups(id) ON DELETE CASCADE,
    stop_id      TEXT    NOT NULL,           -- "<feed>:<stop_id>"
    stop_name    TEXT    NOT NULL,           -- as last seen in the feed
    walk_minutes INTEGER NOT NULL DEFAULT 0 CHECK (walk_minutes BETWEEN 0 AND 60),
    position     INTEGER NOT NULL,           -- 0, 1, 2… per group, no gaps
    created_at   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX bookmarks_unique_stop ON bookmarks(group_id, stop_id);
CREATE INDEX bookmarks_by_group ON bookmarks(group_id, position);

-- The routes a bookmark is narrowed to (none: every route at the stop).
CREATE TABLE bookmark_routes (
    bookmark_id INTEGER NOT NULL REFERENCES bookmarks(id) ON DELETE CASCADE,
    route_id    TEXT    NOT NULL,            -- "<feed>:<route_id>"
    route_name  TEXT    NOT NULL,            -- as last seen
    PRIMARY KEY (bookmark_id, route_id)
) STRICT, WITHOUT ROWID;

-- Every account has a group to put its first stop in, as in the original BMW: created with the
-- account, in the same statement, whichever path signs up.
CREATE TRIGGER users_default_bookmark_group AFTER INSERT ON users BEGIN
    INSERT INTO bookmark_groups (user_id, name, position, created_at) VALUES (NEW.id, 'My stops', 0, NEW.created_at);
END;
INSERT INTO bookmark_groups (user_id, name, position, created_at) SELECT id, 'My stops', 0, created_at FROM users;
