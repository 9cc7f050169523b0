//! Caption timing and layout rules as data: profiles (Netflix, BBC, DCMP, custom JSON), the
//! linter that finds violations, and the fixer that repairs what can be repaired safely.

mod check;
mod env;
pub mod fix;
pub mod line_break;
pub mod lint;
mod out_windows;
pub mod plain;
pub mod profile;

pub use fix::{fix, Fix, FixResult};
pub use lint::{lint, LintContext, Violation};
pub use profile::{Profile, ProfileError, RULE_IDS};
