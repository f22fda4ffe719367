-- Users, their sign-in sessions, and each session's refresh-token family.
-- Timestamps are Unix seconds.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,   -- stored lower-cased
    email         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,          -- argon2id PHC string; never the password
    created_at    INTEGER NOT NULL
) STRICT;

-- One row per sign-in. A session is usable while it is not revoked, not past expires_at
-- (absolute lifetime) and was used within the idle timeout.
CREATE TABLE sessions (
    id           TEXT    PRIMARY KEY,        -- random, also the `sid` claim of access tokens
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    user_agent   TEXT,
    ip           TEXT
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);

-- Every refresh token ever issued for a session, by SHA-256. Kept until the session goes, so
-- that presenting an already-used token is recognised as reuse.
CREATE TABLE refresh_tokens (
    token_hash TEXT    PRIMARY KEY,
    session_id TEXT    NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    issued_at  INTEGER NOT NULL,
    used_at    INTEGER,
    grace_used INTEGER NOT NULL DEFAULT 0    -- the one replay allowed inside the grace window
) STRICT;
CREATE INDEX refresh_tokens_by_session ON refresh_tokens(session_id);
