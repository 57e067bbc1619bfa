//! The claim rules. Each rule reads one sentence ([`View`]) and reports findings; the context
//! mechanism decides whether a statement is asserted.

pub mod autoimmune;
pub mod class;
pub mod common;
pub mod contagious;
pub mod prefilter;
pub mod status;
pub mod target;

use crate::analysis::finding::{Finding, Rule};
use crate::analysis::view::View;

/// Runs every enabled rule on one sentence.
pub fn check_sentence(v: &View, enabled: &dyn Fn(Rule) -> bool, out: &mut Vec<Finding>) {
    if enabled(Rule::AutoimmuneMisnomer) {
        autoimmune::check(v, out);
    }
    if enabled(Rule::WrongTarget) {
        target::check(v, out);
    }
    if enabled(Rule::WrongClass) {
        class::check(v, out);
    }
    if enabled(Rule::ContagiousMyth) {
        contagious::check(v, out);
    }
    if enabled(Rule::OutdatedStatus) {
        status::check(v, out);
    }
}
