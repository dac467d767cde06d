//! What the command line shows while it works and when it is done, by where its output goes: a
//! progress bar on a terminal; elsewhere (a file, a pipe, a CI log) a plain line every tenth of
//! the way, so that a log stays short and readable; nothing with `--quiet` or `--json`, whose
//! stdout is the one JSON result a script reads.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;

/// How a command reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// A person at a terminal: progress bars on stderr, sentences on stdout.
    Terminal,
    /// A file or a pipe: plain progress lines on stderr, sentences on stdout.
    Plain,
    /// `--quiet`: nothing but warnings and errors.
    Quiet,
    /// `--json`: no progress; the result as one JSON object on stdout.
    Json,
}

impl Output {
    pub fn of(quiet: bool, json: bool) -> Output {
        match (json, quiet) {
            (true, _) => Output::Json,
            (false, true) => Output::Quiet,
            (false, false) if std::io::stderr().is_terminal() => Output::Terminal,
            (false, false) => Output::Plain,
        }
    }

    /// Whether log lines may carry colour codes: only into a terminal, and not when `NO_COLOR`
    /// (<https://no-color.org>) asks for none.
    pub fn colours() -> bool {
        std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    }

    /// Progress through `total` steps of `what` (`"deals"`, `"migrations"`).
    pub fn progress(self, what: &'static str, total: u64) -> Progress {
        let bar = (self == Output::Terminal && total > 0).then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template("{prefix} {bar:40} {pos}/{len} {msg} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(what);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress { what, total, done: 0, tenths_shown: 0, plain: self == Output::Plain, bar }
    }

    /// The command's result: `sentence` for a person, `json` for a script, nothing when quiet.
    pub fn result(self, sentence: &str, json: Value) {
        match self {
            Output::Terminal | Output::Plain => println!("{sentence}"),
            Output::Json => println!("{json}"),
            Output::Quiet => {}
        }
    }
}

/// Progress through a known number of steps.
pub struct Progress {
    what: &'static str,
    total: u64,
    done: u64,
    tenths_shown: u64,
    plain: bool,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Progress that shows nothing (a server seeding its small demo).
    pub fn hidden() -> Progress {
        Output::Quiet.progress("", 0)
    }

    /// `steps` more are done; `note` names the last (a migration's name).
    pub fn advance(&mut self, steps: u64, note: Option<&str>) {
        self.done = (self.done + steps).min(self.total);
        if let Some(bar) = &self.bar {
            bar.set_position(self.done);
            if let Some(note) = note {
                bar.set_message(note.to_owned());
            }
        } else if self.plain && self.total > 0 {
            let tenths = self.done * 10 / self.total;
            if tenths > self.tenths_shown || note.is_some() {
                self.tenths_shown = tenths;
                let note = note.map(|n| format!(" {n}")).unwrap_or_default();
                eprintln!("{}: {}/{}{note}", self.what, self.done, self.total);
            }
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
