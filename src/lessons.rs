//! The five modules, compiled in from `lessons/*.md` by `build.rs`: their front matter and
//! their exercises' ids. The lesson texts and their exercises are rendered at build time and
//! fetched per page (`routes::lesson_page`); only native builds (the tests) compile in their
//! Markdown and exercises.

/// One module's lesson: front matter plus (native builds) the Markdown body.
#[derive(Debug, PartialEq, Eq)]
pub struct Lesson {
    /// Kebab-case id, used in the URL (`/modules/<id>`).
    pub id: &'static str,
    /// 1-based position in the learning path.
    pub module: u32,
    /// Title shown in navigation and on the page.
    pub title: &'static str,
    /// One sentence for the home page card.
    pub summary: &'static str,
    /// Estimated minutes to work through the module.
    pub minutes: u32,
    /// What the learner will be able to do afterwards.
    pub objectives: &'static [&'static str],
    /// The lesson text in Markdown, starting with its `# ` heading (native builds only: the
    /// page fetches it rendered).
    #[cfg(not(target_arch = "wasm32"))]
    pub body: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// The lesson with this id, if any.
pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|lesson| lesson.id == id)
}

/// The ids of the exercises of lesson `lesson`, in order.
pub fn exercise_ids(lesson: &str) -> impl Iterator<Item = &'static str> + '_ {
    EXERCISE_IDS
        .iter()
        .filter(move |(l, _)| *l == lesson)
        .map(|(_, id)| *id)
}

/// The lesson exercise `id` belongs to.
pub fn exercise_lesson(id: &str) -> Option<&'static Lesson> {
    let (lesson, _) = EXERCISE_IDS.iter().find(|(_, e)| *e == id)?;
    find(lesson)
}

/// The exercise `id` and the lesson it belongs to, decoded from the JSON `build.rs` checked
/// (native builds; the page has it from its lesson's document). Its texts (goal, hints,
/// prediction, the assertions' hints) are HTML, rendered at build time, with app links under
/// `lesson_doc::BASE_MARKER`.
#[cfg(not(target_arch = "wasm32"))]
pub fn exercise(id: &str) -> Option<(&'static Lesson, protocol::Exercise)> {
    let (lesson, _, json) = EXERCISES.iter().find(|(_, e, _)| *e == id)?;
    let exercise = serde_json::from_str(json).ok()?;
    Some((find(lesson)?, exercise))
}

/// The lessons before and after `lesson` in the learning path.
pub fn neighbours(lesson: &Lesson) -> (Option<&'static Lesson>, Option<&'static Lesson>) {
    let index = LESSONS.iter().position(|l| l.id == lesson.id);
    let previous = index
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| LESSONS.get(i));
    let next = index.and_then(|i| LESSONS.get(i + 1));
    (previous, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_five_modules_in_order() {
        let modules: Vec<u32> = LESSONS.iter().map(|l| l.module).collect();
        assert_eq!(modules, vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn test_every_module_has_exercises_that_decode() {
        for lesson in LESSONS {
            let ids: Vec<&str> = exercise_ids(lesson.id).collect();
            assert!(ids.len() >= 3, "{} has {} exercises", lesson.id, ids.len());
            for id in ids {
                let (owner, exercise) = exercise(id).expect("decodes");
                assert_eq!(owner.id, lesson.id);
                assert_eq!(exercise.id, id);
            }
        }
    }

    #[test]
    fn test_find_and_neighbours() {
        let first = &LESSONS[0];
        assert_eq!(find(first.id), Some(first));
        assert_eq!(find("no-such-module"), None);
        assert_eq!(neighbours(first), (None, LESSONS.get(1)));
        let last = LESSONS.last().unwrap();
        assert_eq!(neighbours(last).1, None);
    }
}
