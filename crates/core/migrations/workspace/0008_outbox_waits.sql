-- A queued request that needs an item the service refused for good (a parked upload, or a
-- parked request of a record that must go first) names it here, and is not tried again
-- until the officer retries, corrects or discards that item.
ALTER TABLE outbox ADD COLUMN waits_on TEXT;
CREATE INDEX outbox_waits_on ON outbox (waits_on) WHERE waits_on IS NOT NULL;
