//! A small argument reader shared by every subcommand: `--name value`, `--name=value`, boolean
//! flags, positionals, and `-o` as `--output`. Unknown options are usage errors, never ignored.

use super::CliError;

pub struct Args {
    positionals: std::collections::VecDeque<String>,
    options: Vec<(String, String)>,
    flags: Vec<String>,
    /// `--help` or `-h` was given.
    pub help: bool,
}

impl Args {
    /// Reads `args`; `valued` names the options that take a value, `flags` those that do not.
    pub fn new(args: &[String], valued: &[&str], flags: &[&str]) -> Result<Args, CliError> {
        let mut a =
            Args { positionals: Default::default(), options: vec![], flags: vec![], help: false };
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if arg == "-h" || arg == "--help" {
                a.help = true;
                continue;
            }
            let name = if arg == "-o" {
                "output".to_string()
            } else if let Some(n) = arg.strip_prefix("--") {
                n.to_string()
            } else {
                a.positionals.push_back(arg.clone());
                continue;
            };
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (name, None),
            };
            if valued.contains(&name.as_str()) {
                let value = match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => return Err(CliError::usage(format!("--{name} needs a value"))),
                };
                a.options.push((name, value));
            } else if flags.contains(&name.as_str()) && inline.is_none() {
                a.flags.push(name);
            } else {
                return Err(CliError::usage(format!("unknown option '{arg}'")));
            }
        }
        Ok(a)
    }

    /// The next positional, as the subcommand name.
    pub fn command(&mut self) -> Result<String, CliError> {
        self.positionals.pop_front().ok_or_else(|| CliError::usage("no command given (try --help)"))
    }

    /// The next positional, named `what` in the error when missing.
    pub fn positional(&mut self, what: &str) -> Result<String, CliError> {
        self.positionals.pop_front().ok_or_else(|| CliError::usage(format!("missing {what}")))
    }

    /// The last value given for `--name`.
    pub fn option(&self, name: &str) -> Option<String> {
        self.options.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }

    pub fn required(&self, name: &str) -> Result<String, CliError> {
        self.option(name).ok_or_else(|| CliError::usage(format!("--{name} is required")))
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// Fails on positionals left over, so that typos are not silently ignored.
    pub fn finish(&self) -> Result<(), CliError> {
        match self.positionals.front() {
            Some(extra) => Err(CliError::usage(format!("unexpected argument '{extra}'"))),
            None => Ok(()),
        }
    }
}
