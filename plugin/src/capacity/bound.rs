//! Counts that may be only partly known.
//!
//! Capacity math mixes exact plan values with inputs that are unknown at plan time or
//! outside the plan. Rather than guessing, every count is an interval `[lo, hi]`
//! (`hi = None`: no upper bound). A finding is certain when the intervals do not
//! overlap; otherwise it is unverifiable.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bound {
    pub lo: u64,
    /// `None`: unbounded (some input is unknown).
    pub hi: Option<u64>,
}

impl Bound {
    pub const ZERO: Bound = Bound { lo: 0, hi: Some(0) };

    pub fn exact(n: u64) -> Bound {
        Bound { lo: n, hi: Some(n) }
    }
    pub fn range(lo: u64, hi: u64) -> Bound {
        Bound {
            lo: lo.min(hi),
            hi: Some(hi.max(lo)),
        }
    }
    pub fn at_least(lo: u64) -> Bound {
        Bound { lo, hi: None }
    }
    /// Nothing known.
    pub fn unknown() -> Bound {
        Bound::at_least(0)
    }
    pub fn exact_value(self) -> Option<u64> {
        (self.hi == Some(self.lo)).then_some(self.lo)
    }
    pub fn is_exact(self) -> bool {
        self.exact_value().is_some()
    }
    pub fn plus(self, o: Bound) -> Bound {
        Bound {
            lo: self.lo.saturating_add(o.lo),
            hi: match (self.hi, o.hi) {
                (Some(a), Some(b)) => Some(a.saturating_add(b)),
                _ => None,
            },
        }
    }
    pub fn times(self, o: Bound) -> Bound {
        let hi = match (self.hi, o.hi) {
            (Some(a), Some(b)) => Some(a.saturating_mul(b)),
            // Zero times anything is zero, even an unbounded count.
            (Some(0), None) | (None, Some(0)) => Some(0),
            _ => None,
        };
        Bound {
            lo: self.lo.saturating_mul(o.lo),
            hi,
        }
    }
    /// `self − o`, floored at zero.
    pub fn minus(self, o: Bound) -> Bound {
        let lo = match o.hi {
            Some(h) => self.lo.saturating_sub(h),
            None => 0,
        };
        Bound {
            lo,
            hi: self.hi.map(|h| h.saturating_sub(o.lo)),
        }
    }
    /// The smaller of two counts (bounds of the minimum).
    pub fn min(self, o: Bound) -> Bound {
        Bound {
            lo: self.lo.min(o.lo),
            hi: match (self.hi, o.hi) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (Some(a), None) | (None, Some(a)) => Some(a),
                (None, None) => None,
            },
        }
    }
    /// The larger of two counts.
    pub fn max(self, o: Bound) -> Bound {
        Bound {
            lo: self.lo.max(o.lo),
            hi: match (self.hi, o.hi) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            },
        }
    }
    /// Smallest interval containing both.
    pub fn hull(self, o: Bound) -> Bound {
        Bound {
            lo: self.lo.min(o.lo),
            hi: match (self.hi, o.hi) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            },
        }
    }
    /// `self × num / den`, rounded outwards (floor for `lo`, ceiling for `hi`).
    pub fn scale(self, num: u64, den: u64) -> Bound {
        if den == 0 {
            return Bound::ZERO;
        }
        let n = u128::from(num);
        let d = u128::from(den);
        let floor = |v: u64| u64::try_from(u128::from(v) * n / d).unwrap_or(u64::MAX);
        let ceil = |v: u64| u64::try_from((u128::from(v) * n).div_ceil(d)).unwrap_or(u64::MAX);
        Bound {
            lo: floor(self.lo),
            hi: self.hi.map(ceil),
        }
    }
    /// "6", "6 to 30", "at least 6", "unknown".
    pub fn show(self) -> String {
        match self.hi {
            Some(h) if h == self.lo => h.to_string(),
            Some(h) => format!("{} to {h}", self.lo),
            None if self.lo == 0 => "unknown".to_string(),
            None => format!("at least {}", self.lo),
        }
    }
}

/// `(lo, hi)`, what [`crate::model::span_of`] spans.
impl From<Bound> for (u64, Option<u64>) {
    fn from(b: Bound) -> Self {
        (b.lo, b.hi)
    }
}

impl From<(u64, Option<u64>)> for Bound {
    fn from((lo, hi): (u64, Option<u64>)) -> Self {
        Bound { lo, hi }
    }
}

impl Default for Bound {
    /// Zero: nothing needed or offered.
    fn default() -> Self {
        Bound::ZERO
    }
}

impl std::ops::Add for Bound {
    type Output = Bound;
    fn add(self, o: Bound) -> Bound {
        Bound::plus(self, o)
    }
}

impl std::iter::Sum for Bound {
    fn sum<I: Iterator<Item = Bound>>(iter: I) -> Bound {
        iter.fold(Bound::ZERO, Bound::plus)
    }
}

/// The outcome of comparing a need with what is available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Certainly fits.
    Fits,
    /// Certainly does not fit.
    Exceeds,
    /// Depends on an input that is unknown.
    Unverifiable,
}

/// Does `need` fit in `have`?
pub fn compare(need: Bound, have: Bound) -> Verdict {
    if have.hi.is_some_and(|h| need.lo > h) {
        Verdict::Exceeds
    } else if need.hi.is_some_and(|n| n <= have.lo) {
        Verdict::Fits
    } else {
        Verdict::Unverifiable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_keeps_unknowns_unbounded() {
        let a = Bound::exact(3).times(Bound::exact(2));
        assert_eq!(a, Bound::exact(6));
        let b = a.plus(Bound::unknown());
        assert_eq!(b, Bound::at_least(6));
        assert_eq!(Bound::exact(0).times(Bound::unknown()), Bound::ZERO);
        assert_eq!(
            Bound::exact(2).minus(Bound::range(0, 1)),
            Bound::range(1, 2)
        );
        assert_eq!(Bound::exact(1).minus(Bound::exact(3)), Bound::ZERO);
        assert_eq!(Bound::exact(7).scale(1, 2), Bound::range(3, 4));
    }

    #[test]
    fn verdicts() {
        assert_eq!(compare(Bound::exact(12), Bound::exact(6)), Verdict::Exceeds);
        assert_eq!(compare(Bound::exact(6), Bound::exact(6)), Verdict::Fits);
        assert_eq!(
            compare(Bound::exact(12), Bound::range(6, 30)),
            Verdict::Unverifiable
        );
        assert_eq!(
            compare(Bound::exact(40), Bound::range(6, 30)),
            Verdict::Exceeds
        );
        assert_eq!(
            compare(Bound::unknown(), Bound::exact(6)),
            Verdict::Unverifiable
        );
        assert_eq!(
            compare(Bound::at_least(7), Bound::exact(6)),
            Verdict::Exceeds
        );
    }

    #[test]
    fn show_is_plain() {
        assert_eq!(Bound::exact(6).show(), "6");
        assert_eq!(Bound::range(6, 30).show(), "6 to 30");
        assert_eq!(Bound::at_least(2).show(), "at least 2");
        assert_eq!(Bound::unknown().show(), "unknown");
    }
}
