//! The words generated content is made of, and the draws that pick them.

pub(crate) const CATEGORIES: &[&str] = &[
    "Sports",
    "Gaming",
    "Music",
    "Travel",
    "Food & Drink",
    "Tech",
    "Books",
    "Photography",
    "Parenting",
    "Fitness",
];
pub(crate) const TOPICS: &[&str] = &[
    "Trail Runners",
    "Indie Game Devs",
    "Sourdough Bakers",
    "Street Photography",
    "Vinyl Collectors",
    "Home Baristas",
    "Weekend Hikers",
    "Rust Programmers",
    "Plant Parents",
    "Board Game Night",
    "Marathon Training",
    "Jazz Lovers",
    "Budget Travel",
    "Retro Consoles",
    "Book Club",
    "Urban Cycling",
    "Film Photography",
    "Chess Openings",
    "Climbing Crew",
    "K-Drama Fans",
];
pub(crate) const PLACES: &[&str] =
    &["Berlin", "Lisbon", "Seoul", "Lagos", "São Paulo", "Kraków", "Osaka", "Austin", "Bangkok", "Auckland"];
const OPENERS: &[&str] = &[
    "Just finished",
    "Can anyone recommend",
    "Hot take:",
    "Throwback to",
    "Anyone else tried",
    "Week 3 update on",
    "Quick question about",
    "So proud of",
    "Looking for advice on",
    "Here's my take on",
];
const SUBJECTS: &[&str] = &[
    "my first 10k",
    "a new espresso grinder",
    "the weekend meetup",
    "this recipe",
    "the latest patch",
    "a beginner setup",
    "the trail up north",
    "my reading list",
    "the tournament results",
    "this photo walk",
];
const CLOSERS: &[&str] =
    &["🙌", "Thoughts?", "", "Would love feedback!", "🔥🔥", "#community", "Cheers!", "😅"];
pub(crate) const COMMENTS: &[&str] = &[
    "Love this!",
    "Great tip, thanks for sharing.",
    "I disagree, but fair point.",
    "Where was this taken?",
    "Same here 😂",
    "Following for updates",
    "Congrats!!",
    "Can you post the link?",
    "This is so helpful.",
    "Not sure that's right…",
];
pub(crate) const ABUSE: &[&str] = &[
    "Buy followers cheap!!! visit spam.example",
    "You are all idiots",
    "DM me for crypto gains 🚀🚀🚀",
    "This is fake news, wake up",
    "Click here for free gift cards",
];
pub(crate) const REASONS: &[&str] = &[
    "CommunityGuidelines",
    "HarassmentOrBullying",
    "SelfHarmOrSuicide",
    "ViolenceOrThreateningContent",
    "SellingRestrictedItems",
    "SexualContentOrNudity",
    "SpamOrScams",
    "FalseInformation",
    "Others",
];
pub(crate) const AI_CATEGORIES: &[&str] = &[
    "Explicit Nudity",
    "Suggestive",
    "Violence",
    "Visually Disturbing",
    "Rude Gestures",
    "Drugs",
    "Hate Symbols",
    "Insult",
    "Harassment",
];
pub(crate) const TAGS: &[&str] = &["announcement", "question", "event", "tips", "showcase", "news"];

/// One entry of `list`, uniformly.
pub(crate) fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

/// A short post: opener, subject and (maybe) a closer.
pub(crate) fn sentence(rng: &mut fastrand::Rng) -> String {
    let closer = pick(rng, CLOSERS);
    format!("{} {} {}", pick(rng, OPENERS), pick(rng, SUBJECTS), closer).trim_end().to_owned()
}

/// A skewed count in `1..=max`: mostly small, occasionally large.
pub(crate) fn skewed(rng: &mut fastrand::Rng, max: u32) -> u32 {
    let r = rng.f64();
    1 + (r * r * r * f64::from(max - 1)) as u32
}
