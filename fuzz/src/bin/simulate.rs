//! Fuzz target `simulate`: any bytes as an event log → read, reordered, simulated and rendered
//! against `entra-pim` and `account-provisioning`. Never a panic; emails leave in time order.
#![no_main]

use pimrules::simulate::log::{LineReader, LogLines, ReorderWindow};
use pimrules::simulate::{Dispatch, Mailer, Simulator};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let shipped = pimrules_fuzz::shipped();
    let vocabularies = shipped.vocabularies();
    let reader = LineReader::new(vocabularies);
    let mut window = ReorderWindow::new(3600);
    let mut simulator = Simulator::new(shipped.simulation_settings());
    let mailer = Mailer::new(shipped.rule_sets());
    let mut sent: Vec<Dispatch> = Vec::new();
    let mut fed = |event, sent: &mut Vec<Dispatch>| {
        // the window keeps events in order, so the engine never sees one out of order
        assert!(simulator.feed(event, sent).is_ok(), "an event out of order");
    };
    for item in LogLines::new(data) {
        let Ok((line, text)) = item else { break };
        let ready = text
            .and_then(|text| reader.read(line, &text))
            .and_then(|event| window.push(event));
        for event in ready.unwrap_or_default() {
            fed(event, &mut sent);
        }
    }
    for event in window.finish() {
        fed(event, &mut sent);
    }
    simulator.finish(&mut sent);
    assert!(
        sent.is_sorted_by_key(|dispatch| dispatch.at),
        "emails out of time order"
    );
    for dispatch in &sent {
        if let Ok(Some(rendering)) = mailer.render(dispatch) {
            for email in &rendering.emails {
                assert!(pimrules::address::is_valid(&email.recipient.address));
            }
        }
    }
});
