import Foundation

/// A transport that records every POST and its answer in a `Ledger`.
package struct LedgerTransport: NotificationTransport {
    package let base: any NotificationTransport
    package let ledger: Ledger

    package init(wrapping base: any NotificationTransport, ledger: Ledger) {
        self.base = base
        self.ledger = ledger
    }

    package func post(_ delivery: SimOutbox.Delivery) async -> Int? {
        let status = await base.post(delivery)
        ledger.record(delivery, status: status)
        return status
    }
}
