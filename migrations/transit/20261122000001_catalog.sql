-- The transit catalog: GTFS feeds, each imported as a numbered version. Rows of every table
-- carry their version; a feed serves the version in feeds.active_version. An import writes a
-- whole new version and switches to it in the same transaction, so readers see the old
-- version until the commit and the new one after it, and a failed import leaves no trace.
-- Entities are keyed by dense indexes (`idx`) the importer assigns; the feed's own text ids
-- are kept on each entity's row. stop_times live in one table per version,
-- stop_times_<version>, created by the importer (see app/src/transit/ssr/import.rs).
-- This database is its own file (transit.db), so a long import never blocks sign-ins.

CREATE TABLE feeds (
    name           TEXT PRIMARY KEY,         -- [a-z0-9_-], chosen at import
    active_version INTEGER NOT NULL,
    source         TEXT NOT NULL,            -- path or URL of the last import
    etag           TEXT,                     -- for conditional refreshes of URL feeds
    last_modified  TEXT,
    checked_at     INTEGER                   -- last refresh check, Unix seconds
) STRICT;

CREATE TABLE feed_versions (
    id            INTEGER PRIMARY KEY,
    feed          TEXT    NOT NULL,
    imported_at   INTEGER NOT NULL,
    timezone      TEXT    NOT NULL,          -- the agencies' IANA zone
    start_date    TEXT,                      -- service date range, YYYY-MM-DD
    end_date      TEXT,
    agencies      INTEGER NOT NULL,
    stops         INTEGER NOT NULL,
    routes        INTEGER NOT NULL,
    trips         INTEGER NOT NULL,
    stop_times    INTEGER NOT NULL,
    max_departure INTEGER NOT NULL,          -- latest GTFS time, seconds (past 24 h is normal)
    has_frequencies INTEGER NOT NULL,
    report        TEXT NOT NULL              -- JSON: warnings and skipped rows
) STRICT;

CREATE TABLE agencies (
    version   INTEGER NOT NULL,
    idx       INTEGER NOT NULL,
    agency_id TEXT,
    name      TEXT NOT NULL,
    url       TEXT NOT NULL,
    timezone  TEXT NOT NULL,
    PRIMARY KEY (version, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE stops (
    version       INTEGER NOT NULL,
    idx           INTEGER NOT NULL,
    stop_id       TEXT    NOT NULL,
    code          TEXT,
    name          TEXT,
    lat           REAL,
    lon           REAL,
    location_type INTEGER NOT NULL,          -- 0 stop/platform, 1 station, 2 entrance, 3 node, 4 boarding area
    parent_idx    INTEGER,
    platform_code TEXT,
    PRIMARY KEY (version, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX stops_by_id ON stops (version, stop_id);
CREATE INDEX stops_by_parent ON stops (version, parent_idx) WHERE parent_idx IS NOT NULL;
CREATE INDEX stops_by_lat ON stops (lat) WHERE lat IS NOT NULL;

CREATE TABLE routes (
    version    INTEGER NOT NULL,
    idx        INTEGER NOT NULL,
    route_id   TEXT    NOT NULL,
    agency_idx INTEGER NOT NULL,
    short_name TEXT,
    long_name  TEXT,
    route_type INTEGER NOT NULL,
    color      TEXT,                         -- RRGGBB
    text_color TEXT,
    sort_order INTEGER,
    PRIMARY KEY (version, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX routes_by_id ON routes (version, route_id);

CREATE TABLE trips (
    version         INTEGER NOT NULL,
    idx             INTEGER NOT NULL,
    trip_id         TEXT    NOT NULL,
    route_idx       INTEGER NOT NULL,
    service_idx     INTEGER NOT NULL,
    headsign        TEXT,
    short_name      TEXT,
    direction_id    INTEGER,
    last_seq        INTEGER,                 -- no departure at a trip's last stop
    first_departure INTEGER,                 -- the offset base for frequency-based trips
    frequency_based INTEGER NOT NULL,        -- its stop_times are a template (frequencies.txt)
    PRIMARY KEY (version, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE calendars (
    version     INTEGER NOT NULL,
    service_idx INTEGER NOT NULL,
    service_id  TEXT    NOT NULL,
    weekdays    INTEGER NOT NULL,            -- bit 0 Monday … bit 6 Sunday
    start_date  TEXT    NOT NULL,            -- YYYY-MM-DD
    end_date    TEXT    NOT NULL,
    PRIMARY KEY (version, service_idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE calendar_dates (
    version     INTEGER NOT NULL,
    service_idx INTEGER NOT NULL,
    service_id  TEXT    NOT NULL,
    date        TEXT    NOT NULL,            -- YYYY-MM-DD
    exception   INTEGER NOT NULL             -- 1 added, 2 removed
) STRICT;
CREATE INDEX calendar_dates_by_version ON calendar_dates (version);

CREATE TABLE frequencies (
    version      INTEGER NOT NULL,
    trip_idx     INTEGER NOT NULL,
    start_secs   INTEGER NOT NULL,
    end_secs     INTEGER NOT NULL,
    headway_secs INTEGER NOT NULL,
    exact_times  INTEGER NOT NULL
) STRICT;
CREATE INDEX frequencies_by_trip ON frequencies (version, trip_idx);

-- Which routes call at a stop, and each route's stops in order per direction (from its
-- longest trip): derived at import, so stop and route pages need no scan of stop_times.
CREATE TABLE stop_routes (
    version   INTEGER NOT NULL,
    stop_idx  INTEGER NOT NULL,
    route_idx INTEGER NOT NULL,
    PRIMARY KEY (version, stop_idx, route_idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE route_stops (
    version      INTEGER NOT NULL,
    route_idx    INTEGER NOT NULL,
    direction_id INTEGER NOT NULL,           -- -1 when the feed gives none
    position     INTEGER NOT NULL,
    stop_idx     INTEGER NOT NULL,
    headsign     TEXT,
    PRIMARY KEY (version, route_idx, direction_id, position)
) STRICT, WITHOUT ROWID;

-- Search: trigram full-text indexes (typo-tolerant candidates, ranked in Rust).
CREATE VIRTUAL TABLE stop_search USING fts5(
    name, code, stop_id, version UNINDEXED, idx UNINDEXED, tokenize = 'trigram'
);
CREATE VIRTUAL TABLE route_search USING fts5(
    short_name, long_name, route_id, version UNINDEXED, idx UNINDEXED, tokenize = 'trigram'
);
