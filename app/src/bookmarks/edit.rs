//! The changes a user makes on the MyBM page, applied to the page's copy of the dashboard at
//! once (optimistic updates: the server's answer then confirms them or rolls them back). The
//! ordering rule, [`move_to`], is the one the server applies to its rows too.

use crate::bookmarks::model::{BookmarkId, GroupId, MyBm, MyBmBookmark};

/// Moves `item` to `position` (clamped to the end), keeping the others in their order.
pub fn move_to<T: PartialEq>(order: &mut Vec<T>, item: T, position: usize) {
    order.retain(|x| *x != item);
    order.insert(position.min(order.len()), item);
}

pub fn rename_group(board: &mut MyBm, id: GroupId, name: &str) {
    if let Some(group) = board.groups.iter_mut().find(|g| g.id == id) {
        group.name = name.trim().to_string();
    }
}

pub fn move_group(board: &mut MyBm, id: GroupId, position: u32) {
    let Some(at) = board.groups.iter().position(|g| g.id == id) else { return };
    let group = board.groups.remove(at);
    board.groups.insert((position as usize).min(board.groups.len()), group);
    renumber(board);
}

pub fn delete_group(board: &mut MyBm, id: GroupId) {
    board.groups.retain(|g| g.id != id);
    renumber(board);
}

pub fn set_walk(board: &mut MyBm, id: BookmarkId, minutes: u8) {
    if let Some(b) = find(board, id) {
        b.bookmark.walk_minutes = minutes;
        for d in &mut b.departures {
            d.leave_at_unix = d.departure.unix - i64::from(minutes) * 60;
        }
    }
}

/// Moves a bookmark within its group, or into another one (at its end unless `position`).
pub fn move_bookmark(board: &mut MyBm, id: BookmarkId, to: GroupId, position: Option<u32>) {
    if !board.groups.iter().any(|g| g.id == to) {
        return;
    }
    let Some(moving) = take(board, id) else { return };
    if let Some(group) = board.groups.iter_mut().find(|g| g.id == to) {
        let at = position.map_or(group.bookmarks.len(), |p| p as usize).min(group.bookmarks.len());
        group.bookmarks.insert(at, moving);
    }
    renumber(board);
}

pub fn remove_bookmark(board: &mut MyBm, id: BookmarkId) {
    take(board, id);
    renumber(board);
}

fn find(board: &mut MyBm, id: BookmarkId) -> Option<&mut MyBmBookmark> {
    board.groups.iter_mut().flat_map(|g| &mut g.bookmarks).find(|b| b.bookmark.id == id)
}

fn take(board: &mut MyBm, id: BookmarkId) -> Option<MyBmBookmark> {
    board.groups.iter_mut().find_map(|g| {
        let at = g.bookmarks.iter().position(|b| b.bookmark.id == id)?;
        Some(g.bookmarks.remove(at))
    })
}

/// Positions back to 0, 1, 2… after a change, as the server keeps them.
fn renumber(board: &mut MyBm) {
    for (i, group) in board.groups.iter_mut().enumerate() {
        group.position = i as u32;
        for (j, b) in group.bookmarks.iter_mut().enumerate() {
            b.bookmark.position = j as u32;
            b.bookmark.group_id = group.id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bookmarks::model::{Bookmark, MyBmGroup};
    use crate::transit::model::StopId;

    fn board() -> MyBm {
        let bookmark = |id: i64, group: i64, position: u32| MyBmBookmark {
            bookmark: Bookmark {
                id: BookmarkId(id),
                group_id: GroupId(group),
                stop_id: StopId(format!("f:{id}")),
                stop_name: format!("Stop {id}"),
                in_feed: true,
                routes: vec![],
                walk_minutes: 0,
                position,
            },
            timezone: None,
            departures: vec![],
            live: Default::default(),
            alerts: vec![],
        };
        let group = |id: i64, position: u32, bookmarks| MyBmGroup {
            id: GroupId(id),
            name: format!("G{id}"),
            position,
            bookmarks,
        };
        MyBm {
            at_unix: 0,
            groups: vec![
                group(1, 0, vec![bookmark(10, 1, 0), bookmark(11, 1, 1), bookmark(12, 1, 2)]),
                group(2, 1, vec![bookmark(20, 2, 0)]),
            ],
        }
    }

    /// (group id, position, [(bookmark id, position)]) per group.
    type Shape = Vec<(i64, u32, Vec<(i64, u32)>)>;

    fn ids(board: &MyBm) -> Shape {
        board
            .groups
            .iter()
            .map(|g| (g.id.0, g.position, g.bookmarks.iter().map(|b| (b.bookmark.id.0, b.bookmark.position)).collect()))
            .collect()
    }

    #[test]
    fn moving_keeps_a_clean_order() {
        let mut order = vec![1, 2, 3, 4];
        move_to(&mut order, 4, 0);
        assert_eq!(order, [4, 1, 2, 3]);
        move_to(&mut order, 4, 99);
        assert_eq!(order, [1, 2, 3, 4]);
        move_to(&mut order, 2, 2);
        assert_eq!(order, [1, 3, 2, 4]);
    }

    #[test]
    fn groups_move_and_go_with_positions_renumbered() {
        let mut b = board();
        move_group(&mut b, GroupId(2), 0);
        assert_eq!(ids(&b)[0].0, 2);
        assert_eq!((ids(&b)[0].1, ids(&b)[1].1), (0, 1));
        delete_group(&mut b, GroupId(2));
        assert_eq!(ids(&b), vec![(1, 0, vec![(10, 0), (11, 1), (12, 2)])]);
    }

    #[test]
    fn bookmarks_move_within_and_across_groups() {
        let mut b = board();
        move_bookmark(&mut b, BookmarkId(12), GroupId(1), Some(0));
        assert_eq!(ids(&b)[0].2, vec![(12, 0), (10, 1), (11, 2)]);
        move_bookmark(&mut b, BookmarkId(10), GroupId(2), None);
        assert_eq!(ids(&b)[1].2, vec![(20, 0), (10, 1)]);
        assert_eq!(b.groups[1].bookmarks[1].bookmark.group_id, GroupId(2));
        assert_eq!(ids(&b)[0].2, vec![(12, 0), (11, 1)]);
        move_bookmark(&mut b, BookmarkId(11), GroupId(99), None);
        assert_eq!(ids(&b)[0].2, vec![(12, 0), (11, 1)], "an unknown group changes nothing");
        remove_bookmark(&mut b, BookmarkId(12));
        assert_eq!(ids(&b)[0].2, vec![(11, 0)]);
    }
}
