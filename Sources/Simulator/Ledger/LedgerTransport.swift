import Foundation

/// A transport that records every POST and its answer in a `Ledger`.
public struct LedgerTransport: NotificationTransport {
    public let base: any NotificationTransport
    public let ledger: Ledger

    public init(wrapping base: any NotificationTransport, ledger: Ledger) {
        self.base = base
        self.ledger = ledger
    }

    public func post(_ delivery: SimOutbox.Delivery) async -> Int? {
        let status = await base.post(delivery)
        ledger.record(delivery, status: status)
        return status
    }
}
