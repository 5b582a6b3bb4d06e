//! Fuzz target `simulate`: any bytes as an event log → replayed (read, reordered, simulated and
//! rendered) against `entra-pim` and `account-provisioning`. Never a panic; emails leave in time
//! order; the engine refuses no line the window lets through.
#![no_main]

use pimrules::diagnostic::Severity;
use pimrules::render::Rendering;
use pimrules::simulate::log::LogError;
use pimrules::simulate::replay::{Problem, Replay, ReplayOptions, Sink};
use pimrules::simulate::{Dispatch, Mailer};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let shipped = pimrules_fuzz::shipped();
    let options = ReplayOptions {
        reorder_window: pimrules::time::HOUR,
        keep_going: true,
    };
    let mut replay = Replay::new(
        shipped.vocabularies(),
        shipped.simulation_settings(),
        options,
    );
    let mailer = Mailer::new(shipped.rule_sets());
    // bad lines are skipped; a read error (none from a slice) or an email that does not
    // render ends the replay
    let _ = replay.run(data, Some(&mailer), &mut Checked { last: None });
});

/// Checks what a replay sends: in time order, to valid addresses.
struct Checked {
    last: Option<i64>,
}

impl Sink for Checked {
    type Stop = std::convert::Infallible;

    fn sent(
        &mut self,
        dispatch: &Dispatch,
        rendering: Option<&Rendering>,
    ) -> Result<(), Self::Stop> {
        assert!(
            self.last.is_none_or(|last| last <= dispatch.at),
            "emails out of time order"
        );
        self.last = Some(dispatch.at);
        for email in rendering.map_or(&[][..], |r| r.emails.as_slice()) {
            assert!(pimrules::address::is_valid(&email.recipient.address));
        }
        Ok(())
    }

    fn problem(&mut self, problem: Problem, error: &LogError, _: Option<&str>, _: Severity) {
        // the window keeps events in order, so the engine never refuses one
        assert_ne!(
            problem,
            Problem::Refused,
            "an event out of order: {error:?}"
        );
    }
}
