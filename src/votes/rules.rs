//! The reputation rules, built once from `settings.reputation`.
use super::{Direction, Kind, VoteError};
use crate::settings::ReputationSettings;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReputationRules {
    settings: ReputationSettings,
}

/// What the rules need to know about a voter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoterInfo {
    pub reputation: i64,
    pub staff: bool,
    pub active: bool,
}

impl ReputationRules {
    #[must_use]
    pub const fn new(settings: ReputationSettings) -> Self {
        Self { settings }
    }

    /// Points the author of a `kind` post gets for a vote in `dir`.
    #[must_use]
    pub const fn points(&self, kind: Kind, dir: Direction) -> i64 {
        let s = &self.settings;
        match (kind, dir) {
            (Kind::Question, Direction::Up) => s.question_up,
            (Kind::Question, Direction::Down) => s.question_down,
            (Kind::Answer, Direction::Up) => s.answer_up,
            (Kind::Answer, Direction::Down) => s.answer_down,
            (Kind::Review, Direction::Up) => s.review_up,
            (Kind::Review, Direction::Down) => s.review_down,
        }
    }

    /// Points for an accepted answer (outside the daily cap).
    #[must_use]
    pub const fn accept(&self) -> i64 {
        self.settings.accept
    }

    #[must_use]
    pub const fn daily_cap(&self) -> i64 {
        self.settings.daily_vote_cap
    }

    #[must_use]
    pub const fn flag_min(&self) -> i64 {
        self.settings.flag_min
    }

    /// The reputation privileges that are not about votes (SPEC "Community,
    /// history, discovery"): comment, edit, close, review edits.
    #[must_use]
    pub const fn settings(&self) -> &ReputationSettings {
        &self.settings
    }

    /// Applies the daily cap: gains are cut so that the day's vote income
    /// (`today`, before this vote) never exceeds the cap; losses always
    /// apply in full.
    #[must_use]
    pub fn capped(&self, raw: i64, today: i64) -> i64 {
        if raw <= 0 {
            raw
        } else {
            raw.min((self.daily_cap() - today).max(0))
        }
    }

    /// May `voter` cast a vote in `dir`? Withdrawing is always allowed and
    /// is not checked here. Moderators and admins are not limited.
    ///
    /// # Errors
    /// `Suspended`, or `NotEnoughReputation` with the threshold.
    pub const fn may_vote(&self, voter: &VoterInfo, dir: Direction) -> Result<(), VoteError> {
        if !voter.active {
            return Err(VoteError::Suspended);
        }
        if voter.staff {
            return Ok(());
        }
        let needed = match dir {
            Direction::Up => self.settings.vote_up_min,
            Direction::Down => self.settings.vote_down_min,
        };
        if voter.reputation < needed {
            return Err(VoteError::NotEnoughReputation { needed });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ReputationRules {
        ReputationRules::new(ReputationSettings::default())
    }

    #[test]
    fn spec_points() {
        let r = rules();
        assert_eq!(r.points(Kind::Question, Direction::Up), 5);
        assert_eq!(r.points(Kind::Question, Direction::Down), -2);
        assert_eq!(r.points(Kind::Answer, Direction::Up), 10);
        assert_eq!(r.points(Kind::Answer, Direction::Down), -2);
        assert_eq!(r.points(Kind::Review, Direction::Up), 3);
        assert_eq!(r.points(Kind::Review, Direction::Down), -1);
        assert_eq!(r.accept(), 15);
    }

    #[test]
    fn the_cap_cuts_gains_only() {
        let r = rules();
        assert_eq!(r.capped(10, 0), 10);
        assert_eq!(r.capped(10, 195), 5);
        assert_eq!(r.capped(10, 200), 0);
        assert_eq!(r.capped(10, 250), 0);
        assert_eq!(r.capped(-2, 200), -2);
    }

    #[test]
    fn privileges() {
        let r = rules();
        let newbie = VoterInfo {
            reputation: 1,
            staff: false,
            active: true,
        };
        assert!(r.may_vote(&newbie, Direction::Up).is_ok());
        assert!(matches!(
            r.may_vote(&newbie, Direction::Down),
            Err(VoteError::NotEnoughReputation { needed: 15 })
        ));
        let moderator = VoterInfo {
            reputation: 1,
            staff: true,
            active: true,
        };
        assert!(r.may_vote(&moderator, Direction::Down).is_ok());
        let suspended = VoterInfo {
            reputation: 500,
            staff: false,
            active: false,
        };
        assert!(matches!(
            r.may_vote(&suspended, Direction::Up),
            Err(VoteError::Suspended)
        ));
    }
}
