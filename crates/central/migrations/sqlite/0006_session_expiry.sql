-- Expired sessions are purged as new ones are issued (auth.rs): this index makes that delete
-- touch only the expired rows, however many live sessions there are.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
