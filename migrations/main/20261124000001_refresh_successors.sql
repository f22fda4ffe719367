-- A refresh token's successor is now derived from it (a MAC), so every replay inside the
-- grace window gets the same one: there is no "one replay" left to count.
ALTER TABLE refresh_tokens DROP COLUMN grace_used;
