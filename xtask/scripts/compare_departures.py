#!/usr/bin/env python3
"""Check BMW's departures API against an independent computation with gtfs-kit.

usage: compare_departures.py --feed-path <zip or dir> --feed-name <name> --api <base url>
                             [--samples N] [--seed S] [--limit L] [--horizon-hours H]

For a deterministic sample of stops (parent stations, busy stops, random ones) and moments (a
weekday morning, late evening, just after midnight, a weekend, a calendar_dates exception,
around each DST change in the feed's dates), plus one moment just before each kind of
stop_time a rule is about (past 24:00, interpolated, pickup_type = 1, a trip's last stop),
asks `GET <api>/api/stops/<feed>:<stop_id>/departures?at=&limit=` and compares
(trip_id, instant, service_date) with what the rules give:

* a service date's trips come from calendar.txt + calendar_dates.txt (gtfs-kit's
  `get_trips(date)`, which `get_stop_times(date)` filters on); a time counts from "noon minus
  12 h" of its service date in the agency's zone, so 25:10 is the next day's 01:10 and DST days
  shift by an hour;
* a parent station includes its child stops; no departure where pickup_type = 1 or at a
  trip's last stop;
* an empty time is filled linearly between the timed stops A (its departure) and B (its
  arrival): by shape_dist_traveled when A, B and the stop all have one and it lies between
  theirs, else by the stop's position; rounded to the second. A lone arrival or departure
  stands for both.

Only departures within `--horizon-hours` (default 24) of the moment are compared, so an API
that looks further ahead is not wrong. Ties at the `limit` cut may come in any order. Trips in
frequencies.txt are left out on both sides (not checked). Prints every difference and exits 1
when any. Imports nothing of BMW's. Runs in the virtualenv `python_env()` in xtask/src/feeds.rs
makes (gtfs-kit pinned by requirements.txt beside this file).
"""

import argparse
import datetime as dt
import json
import random
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo

import gtfs_kit as gk
import numpy as np
import pandas as pd

DAY = 86_400


def main():
    args = parse_args()
    feed = gk.read_feed(args.feed_path, dist_units="km")
    strip_ids(feed)
    tz = agency_zone(feed)
    times = departure_times(feed.stop_times)
    rng = random.Random(args.seed)
    dates = Dates(feed)
    stops, targets = sample_stops(feed, times, dates, args.samples, rng)
    moments = sample_moments(feed, tz, dates, rng)
    sampled = members_of(feed, stops + [stop for stop, _, _ in targets])
    model = Model(feed, tz, times[times.stop_id.isin(sampled)], frequency_trips(feed))

    checks = [(stop, label, at) for stop in stops for label, at in moments]
    for stop, label, (date, secs) in targets:
        checks.append((stop, label, model.instant(date, secs) - dt.timedelta(seconds=90)))
    differing = 0
    for stop, label, at in checks:
        differing += not check(args, model, stop, label, at)
    print(f"{len(checks) - differing} passed, {differing} failed")
    sys.exit(1 if differing else 0)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--feed-path", required=True, help="GTFS zip or directory")
    p.add_argument("--feed-name", required=True, help="the feed's name in BMW's ids (<name>:<stop_id>)")
    p.add_argument("--api", required=True, help="base URL, e.g. http://127.0.0.1:3000")
    p.add_argument("--samples", type=int, default=8, help="stops to check (default 8)")
    p.add_argument("--seed", type=int, default=1, help="sampling seed (default 1)")
    p.add_argument("--limit", type=int, default=10, help="departures per request (default 10)")
    p.add_argument("--horizon-hours", type=float, default=24, help="compare departures this far ahead (default 24)")
    return p.parse_args()


# The columns read here, trimmed as the importer trims them (MTA's JSON keeps stray spaces).
TRIMMED = ["trip_id", "stop_id", "service_id", "parent_station", "date", "start_date", "end_date"]
TRIMMED += ["arrival_time", "departure_time", "agency_timezone"]


def strip_ids(feed):
    for name in ("agency", "stops", "trips", "stop_times", "calendar", "calendar_dates"):
        table = getattr(feed, name)
        for column in TRIMMED if table is not None else []:
            if column in table:
                table[column] = pd.array(per_value(table[column], str.strip, pd.NA), dtype="string")


def per_value(column, fn, missing):
    """`fn` of each value, computed once per distinct value: 2.4M stop_times have about 100k
    distinct times, and pandas' string methods take seconds per million rows."""
    codes, uniques = pd.factorize(column)
    return np.array([fn(u) for u in uniques] + [missing])[codes]  # code -1 (missing) is last


def agency_zone(feed):
    zones = set(feed.agency.agency_timezone.dropna())
    if len(zones) != 1:
        raise SystemExit(f"expected one agency_timezone, found {sorted(zones)}")
    try:
        return zoneinfo.ZoneInfo(zones.pop())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        raise SystemExit(f"agency_timezone: {err}") from None


def seconds(text):
    """'H:MM:SS' (hours may pass 24) as float seconds, NaN when empty."""

    def parse(value):
        match = re.fullmatch(r"(\d+):([0-5]\d):([0-5]\d)", value)
        if not match:
            raise SystemExit(f"stop_times.txt: {value!r} is not a time")
        return float(int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3]))

    return per_value(text, parse, np.nan).astype("float64")


def departure_times(stop_times):
    """Every stop_time with its departure in seconds (empty ones interpolated), whether it was
    interpolated, and whether it is its trip's last stop."""
    st = stop_times.sort_values(["trip_id", "stop_sequence"], kind="stable").reset_index(drop=True)
    arrival, departure = seconds(st.arrival_time), seconds(st.departure_time)
    # A lone arrival or departure stands for both.
    arrival = np.where(np.isnan(arrival), departure, arrival)
    departure = np.where(np.isnan(departure), arrival, departure)
    timed = ~np.isnan(departure)
    position = np.arange(len(st), dtype="float64")
    dist = np.full(len(st), np.nan)
    if "shape_dist_traveled" in st:
        dist = st.shape_dist_traveled.to_numpy("float64", na_value=np.nan)
    trip = st.trip_id

    def previous(values):  # value at the last timed row at or before each row, within its trip
        return pd.Series(np.where(timed, values, np.nan)).groupby(trip).ffill().to_numpy()

    def following(values):
        return pd.Series(np.where(timed, values, np.nan)).groupby(trip).bfill().to_numpy()

    a, b = previous(position), following(position)
    t_a, t_b = previous(departure), following(arrival)
    t_b = np.maximum(t_b, t_a)
    d_a, d_b = previous(dist), following(dist)
    by_distance = (d_a < d_b) & (d_a <= dist) & (dist <= d_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(by_distance, (dist - d_a) / (d_b - d_a), (position - a) / (b - a))
    offset = (t_b - t_a) * fraction
    filled = t_a + np.floor(offset + 0.5)
    out = pd.DataFrame(
        {
            "trip_id": trip,
            "stop_id": st.stop_id,
            "secs": np.where(timed, departure, filled),
            "interpolated": ~timed,
            # Where rounding to the nearest second and truncating disagree.
            "rounds_up": ~timed & (offset - np.floor(offset) >= 0.5),
            "no_pickup": st.pickup_type.fillna(0).to_numpy() == 1 if "pickup_type" in st else False,
            "last": st.stop_sequence.to_numpy() == st.groupby("trip_id").stop_sequence.transform("max").to_numpy(),
        }
    )
    # Times before the first or after the last timed stop cannot be filled: no departure.
    return out[~np.isnan(out.secs)].astype({"secs": "int64"})


def frequency_trips(feed):
    """Frequency-based trips: their stop_times are a template this check does not expand."""
    if feed.frequencies is None or feed.frequencies.empty:
        return set()
    print("note: frequencies.txt has rows; those trips are not checked")
    return set(feed.frequencies.trip_id.str.strip())


def members_of(feed, stop_ids):
    """The stops whose departures count for these: each one and the children of stations."""
    stops = feed.stops
    children = stops.stop_id[stops.parent_station.isin(stop_ids)] if "parent_station" in stops else []
    return sorted(set(stop_ids) | set(children))


def sample_stops(feed, times, dates, count, rng):
    """Stop ids to check at every moment, and (stop, label, (date, secs)) targets: moments just
    before a stop_time that a rule is about (one each, where the feed has such)."""
    boarding = times[~times.no_pickup & ~times["last"]]
    busiest = boarding.stop_id.value_counts()
    served = sorted(busiest.index)
    stops = feed.stops
    parents = []
    if "parent_station" in stops:
        with_children = set(stops.parent_station[stops.stop_id.isin(busiest.index)].dropna())
        parents = sorted(with_children & set(stops.stop_id))
    picked = rng.sample(parents, min(len(parents), count // 4))
    picked += rng.sample(list(busiest.index[:10]), min(len(busiest), count // 4))
    rest = [s for s in served if s not in picked]
    picked += rng.sample(rest, min(len(rest), count - len(picked)))

    targets = []
    interpolated = boarding[boarding.interpolated]
    if interpolated.rounds_up.any():
        interpolated = interpolated[interpolated.rounds_up]
    for label, rows in (
        ("just before a departure past 24:00", boarding[boarding.secs >= DAY]),
        ("just before an interpolated departure", interpolated),
        ("just before a stop_time with pickup_type=1", times[times.no_pickup & ~times["last"]]),
        ("just before a trip's last stop", times[times["last"]]),
    ):
        for _ in range(20):  # a row whose trip runs on some date
            if rows.empty:
                break
            row = rows.iloc[rng.randrange(len(rows))]
            runs_on = dates.of_trip(row.trip_id)
            if runs_on:
                targets.append((row.stop_id, label, (rng.choice(runs_on), int(row.secs))))
                break
    return picked, targets


class Dates:
    """Which dates have service, from gtfs-kit's calendar logic."""

    def __init__(self, feed):
        self.feed = feed
        self.by_date = {d: set(gk.get_active_services(feed, d.strftime("%Y%m%d"))) for d in feed_dates(feed)}

    def of_trip(self, trip_id):
        service = self.feed.trips.service_id[self.feed.trips.trip_id == trip_id].iloc[0]
        return sorted(d for d, services in self.by_date.items() if service in services)

    def active(self):
        return sorted(d for d, services in self.by_date.items() if services)


def feed_dates(feed):
    dates = set()
    if feed.calendar is not None:
        first, last = (pd.to_datetime(feed.calendar[c], format="%Y%m%d") for c in ("start_date", "end_date"))
        span = pd.date_range(first.min(), last.max())
        dates |= {d.date() for d in span}
    if feed.calendar_dates is not None:
        dates |= set(pd.to_datetime(feed.calendar_dates.date, format="%Y%m%d").dt.date)
    return sorted(dates)


def sample_moments(feed, tz, dates, rng):
    """(label, UTC datetime) pairs, the same for every sampled stop."""
    days = dates.active()
    day_set = set(days)

    def local(d, hour, minute, fold=0):
        return dt.datetime(d.year, d.month, d.day, hour, minute, fold=fold, tzinfo=tz)

    exceptions = set()
    if feed.calendar_dates is not None:
        exceptions = set(pd.to_datetime(feed.calendar_dates.date, format="%Y%m%d").dt.date)
    weekdays = [d for d in days if d.weekday() < 4 and d + dt.timedelta(days=1) in day_set and d not in exceptions]
    weekends = [d for d in days if d.weekday() >= 5 and d not in exceptions]
    moments = []
    if weekdays:
        d = rng.choice(weekdays)
        moments += [("weekday morning", local(d, 7, 45)), ("late evening", local(d, 23, 10))]
        moments.append(("just after midnight", local(d + dt.timedelta(days=1), 0, 15)))
    if weekends:
        moments.append(("weekend", local(rng.choice(weekends), 11, 30)))
    if exceptions & day_set:
        moments.append(("calendar_dates exception", local(rng.choice(sorted(exceptions & day_set)), 9, 0)))
    span = [days[0] + dt.timedelta(days=n) for n in range(1, (days[-1] - days[0]).days + 1)] if days else []
    changes = [d for d in span if local(d, 12, 0).utcoffset() != local(d - dt.timedelta(days=1), 12, 0).utcoffset()]
    for d in changes:
        moments += [
            ("DST day 00:30", local(d, 0, 30)),
            ("DST day 01:30 (the later one when it repeats)", local(d, 1, 30, fold=1)),
            ("DST day 03:30", local(d, 3, 30)),
            ("day after DST 00:15", local(d + dt.timedelta(days=1), 0, 15)),
        ]
    if not changes:
        print(f"note: no DST change in the feed's dates ({tz.key})")
    return [(label, at.astimezone(dt.timezone.utc)) for label, at in moments]


class Model:
    """The expected answer, from the stop_times of the sampled stops."""

    def __init__(self, feed, tz, times, unchecked_trips):
        self.feed, self.tz, self.unchecked = feed, tz, unchecked_trips
        self.times = times[~times.no_pickup & ~times["last"] & ~times.trip_id.isin(unchecked_trips)]
        self.max_days = int(times.secs.max()) // DAY + 1 if len(times) else 1
        self.trips_on = {}
        self.names = dict(zip(feed.stops.stop_id, feed.stops.stop_name.fillna("")))

    def instant(self, date, secs):
        # In UTC before subtracting: Python's aware arithmetic is wall-clock arithmetic.
        noon = dt.datetime(date.year, date.month, date.day, 12, tzinfo=self.tz).astimezone(dt.timezone.utc)
        return noon - dt.timedelta(hours=12) + dt.timedelta(seconds=secs)

    def trips(self, date):
        """Trips running on a service date (what `feed.get_stop_times(date)` filters on)."""
        if date not in self.trips_on:
            self.trips_on[date] = set(self.feed.get_trips(date.strftime("%Y%m%d")).trip_id)
        return self.trips_on[date]

    def departures(self, stop_id, at, horizon):
        """Sorted (instant, trip_id, service_date, stop_id, secs) in [at, at + horizon]."""
        members = members_of(self.feed, [stop_id])
        rows = self.times[self.times.stop_id.isin(members)]
        today = at.astimezone(self.tz).date()
        found = []
        # Trips of earlier service dates can run past midnight (25:10 is tomorrow 01:10), and a
        # horizon can reach the day after tomorrow.
        for back in range(-self.max_days, 3):
            date = today + dt.timedelta(days=back)
            for row in rows[rows.trip_id.isin(self.trips(date))].itertuples():
                when = self.instant(date, row.secs)
                if at <= when <= at + horizon:
                    found.append((when, row.trip_id, date.isoformat(), row.stop_id, row.secs))
        return sorted(found)


def check(args, model, stop_id, label, at):
    """One request; prints OK or the differences, returns whether they agree."""
    horizon = dt.timedelta(hours=args.horizon_hours)
    local_at = at.astimezone(model.tz).isoformat(timespec="seconds")
    title = f"{args.feed_name}:{stop_id} ({model.names.get(stop_id)}) at {local_at}, {label}"
    expected = model.departures(stop_id, at, horizon)
    try:
        got, problems = ask(args, stop_id, local_at)
    except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError) as err:
        print(f"DIFF {title}\n  request failed: {err}")
        return False
    got = [g for g in got if g[0] <= at + horizon and g[1] not in model.unchecked]
    if any(g[0] < at for g in got):
        problems.append("departures before the requested moment")
    if [g[0] for g in got] != sorted(g[0] for g in got):
        problems.append("departures are not sorted by time")
    if len(set(map(key, got))) != len(got):
        problems.append("the same departure twice")

    # All expected departures before the limit's last instant must be there; at that instant
    # (a tie) any of the expected ones may fill the remaining places.
    want = expected[: args.limit]
    cut = want[-1][0] if len(want) == args.limit else None
    must = {key(e) for e in expected if cut is None or e[0] < cut}
    may = {key(e) for e in expected if e[0] == cut}
    have = [key(g) for g in got]
    missing = must - set(have)
    unexpected = [k for k in have if k not in must and k not in may]
    short = len(have) < len(want)
    if missing or unexpected or problems or short:
        print(f"DIFF {title}")
        for text in problems:
            print(f"  {text}")
        info = {key(e): e for e in expected}
        for k in sorted(missing):
            e = info[k]
            print(f"  missing     {describe(model, k)}  at {e[3]}, {gtfs_time(e[4])} on its service date")
        for k in unexpected:
            print(f"  unexpected  {describe(model, k)}")
        if short and not missing:
            print(f"  only {len(have)} departures, expected {len(want)}")
        return False
    print(f"ok   {title}: {len(have)} departures")
    return True


def ask(args, stop_id, local_at):
    """The API's departures as (instant, trip_id, service_date), and format problems."""
    ident = urllib.parse.quote(f"{args.feed_name}:{stop_id}", safe="")
    query = urllib.parse.urlencode({"at": local_at, "limit": args.limit})
    url = f"{args.api.rstrip('/')}/api/stops/{ident}/departures?{query}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = json.load(response)
    except urllib.error.HTTPError as err:
        raise ValueError(f"GET {url}: HTTP {err.code}: {err.read()[:300]!r}") from None
    problems = []
    if body["stop"]["id"] != f"{args.feed_name}:{stop_id}":
        problems.append(f"stop.id is {body['stop']['id']!r}")
    got = []
    for d in body["departures"]:
        when = dt.datetime.fromisoformat(d["scheduled_at"].replace("Z", "+00:00"))
        if when.tzinfo is None:
            problems.append(f"scheduled_at without an offset: {d['scheduled_at']}")
            when = when.replace(tzinfo=dt.timezone.utc)
        got.append((when.astimezone(dt.timezone.utc), d["trip_id"], d["service_date"]))
    if len(got) > args.limit:
        problems.append(f"{len(got)} departures for limit={args.limit}")
    return got, problems


def key(departure):
    when, trip_id, service_date = departure[:3]
    return (int(when.timestamp()), trip_id, service_date)


def describe(model, k):
    when = dt.datetime.fromtimestamp(k[0], model.tz).isoformat(timespec="seconds")
    return f"{when}  trip {k[1]}  service {k[2]}"


def gtfs_time(secs):
    return f"{secs // 3600:02}:{secs % 3600 // 60:02}:{secs % 60:02}"


if __name__ == "__main__":
    main()
