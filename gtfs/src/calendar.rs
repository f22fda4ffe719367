//! Which services run on which service date: calendar.txt weekly patterns, then
//! calendar_dates.txt exceptions (removals win over the pattern, additions add days).

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::model::{Calendar, CalendarDate, Exception};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ServiceDays {
    weekly: Option<Weekly>,
    exceptions: BTreeMap<Date, Exception>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Weekly {
    weekdays: [bool; 7],
    start: Date,
    end: Date,
}

/// Service days by dense service index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceCalendar {
    services: Vec<ServiceDays>,
}

impl ServiceCalendar {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds from the rows a sink received (or the app reads back from its database).
    pub fn from_rows(calendars: &[Calendar], dates: &[CalendarDate]) -> Self {
        let mut calendar = Self::new();
        calendars.iter().for_each(|c| calendar.add_calendar(c));
        dates.iter().for_each(|d| calendar.add_calendar_date(d));
        calendar
    }

    fn service_mut(&mut self, service: u32) -> &mut ServiceDays {
        let i = service as usize;
        if self.services.len() <= i {
            self.services.resize_with(i + 1, ServiceDays::default);
        }
        &mut self.services[i]
    }

    pub fn add_calendar(&mut self, c: &Calendar) {
        self.service_mut(c.service).weekly =
            Some(Weekly { weekdays: c.weekdays, start: c.start_date, end: c.end_date });
    }

    pub fn add_calendar_date(&mut self, d: &CalendarDate) {
        self.service_mut(d.service).exceptions.insert(d.date, d.exception);
    }

    /// Number of service indexes known (the highest index + 1).
    pub fn len(&self) -> usize {
        self.services.len()
    }

    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
    }

    pub fn is_active(&self, service: u32, date: Date) -> bool {
        let Some(days) = self.services.get(service as usize) else { return false };
        match days.exceptions.get(&date) {
            Some(Exception::Added) => true,
            Some(Exception::Removed) => false,
            None => days.weekly.is_some_and(|w| {
                w.start <= date && date <= w.end && w.weekdays[date.weekday().to_monday_zero_offset() as usize]
            }),
        }
    }

    /// Service indexes running on `date`, ascending.
    pub fn active_services(&self, date: Date) -> Vec<u32> {
        (0..self.services.len() as u32).filter(|&s| self.is_active(s, date)).collect()
    }

    /// First and last date on which some service may run (calendar ranges and added dates).
    pub fn date_range(&self) -> Option<(Date, Date)> {
        let mut bounds: Option<(Date, Date)> = None;
        let mut widen = |lo: Date, hi: Date| {
            bounds = Some(bounds.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
        };
        for days in &self.services {
            if let Some(w) = days.weekly.filter(|w| w.weekdays.contains(&true)) {
                widen(w.start, w.end);
            }
            for (&date, _) in days.exceptions.iter().filter(|(_, e)| **e == Exception::Added) {
                widen(date, date);
            }
        }
        bounds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn weekday_service() -> Calendar {
        Calendar {
            service: 0,
            service_id: "WK".into(),
            weekdays: [true, true, true, true, true, false, false],
            start_date: date(2026, 1, 1),
            end_date: date(2026, 12, 31),
        }
    }

    #[test]
    fn weekly_pattern_and_range() {
        let cal = ServiceCalendar::from_rows(&[weekday_service()], &[]);
        assert!(cal.is_active(0, date(2026, 3, 2))); // Monday
        assert!(!cal.is_active(0, date(2026, 3, 1))); // Sunday
        assert!(!cal.is_active(0, date(2027, 1, 1))); // after end
        assert!(!cal.is_active(1, date(2026, 3, 2))); // unknown service
        assert_eq!(cal.date_range(), Some((date(2026, 1, 1), date(2026, 12, 31))));
    }

    #[test]
    fn exceptions_override_the_pattern() {
        let removed =
            CalendarDate { service: 0, service_id: "WK".into(), date: date(2026, 3, 2), exception: Exception::Removed };
        let added =
            CalendarDate { service: 1, service_id: "X".into(), date: date(2027, 2, 1), exception: Exception::Added };
        let cal = ServiceCalendar::from_rows(&[weekday_service()], &[removed, added]);
        assert!(!cal.is_active(0, date(2026, 3, 2)));
        assert!(cal.is_active(0, date(2026, 3, 3)));
        assert_eq!(cal.active_services(date(2027, 2, 1)), vec![1]);
        assert_eq!(cal.active_services(date(2026, 3, 3)), vec![0]);
        assert_eq!(cal.date_range(), Some((date(2026, 1, 1), date(2027, 2, 1))));
    }
}
