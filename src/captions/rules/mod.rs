//! Caption timing and layout rules as data: profiles (Netflix, BBC, DCMP, custom JSON), the
//! linter that finds violations, and the fixer that repairs what can be repaired safely.

pub mod plain;
