import Foundation
import OutcomeStore
import RuleEngine
import VehicleData

/// The stored inbox as the engine loop observed it, for `vigie explain`: each monitor
/// notification read as a replay `message` line (`ReplayEvents`, which reads a Message
/// exactly as `vigie serve` does), at the instant serve observed it, in serve's order.
///
/// - The instant is the notification's `date`, or the time it was received when it has
///   none or is dated more than `maxClockSkew` after that (serve observes a message from
///   the future when it reads it: docs/serve.md "Future data").
/// - With a reorder window W > 0, serve observes notifications in (instant, arrival)
///   order, and one received more than W after its instant when the engine's clock has
///   passed it: it is ordered at `receivedAt − W` (about where the watermark was). With
///   W = 0, in arrival (inbox id) order. The engine itself never goes back in time: an
///   input dated before its clock is observed at the clock, as serve does.
/// - Remote events change no field; a row serve would set aside (not a usable Message)
///   is skipped and counted, as serve keeps it as a dead letter.
struct ExplainInbox {
    /// One notification to observe.
    struct Input {
        var inboxId: Int64
        var at: Millis
        var vin: String
        var observation: Observation
        /// Where serve's order puts it: with a reorder window, `max(at, received − W)`; else
        /// its place among the rows given (meaningful only within one `ExplainInbox`).
        var key: Millis
        /// When it was received (milliseconds).
        var received: Millis
        /// Whether serve had consumed it (the row's `processed`).
        var processed: Bool

        /// Whether serve ordered it by its receiving time, after notifications dated later
        /// (received more than the reorder window after its instant).
        var isLate: Bool { key > at }
    }

    /// Seconds a sender's clock may be ahead of ours (docs/serve.md, `maxClockSkew`).
    static let maxClockSkew: Double = 5

    var inputs: [Input] = []
    /// Rows serve would have set aside.
    var unusable = 0
    /// Remote-event rows (no observation).
    var remoteEvents = 0

    /// The instant serve observes `row`'s notification at (before its clock), and when it
    /// was received, in milliseconds: from the row's columns alone, without its body.
    static func instant(of row: InboxRecord) -> (at: Millis, received: Millis) {
        let received = Timestamp.millis(row.receivedAt)
        var at = row.eventDate.flatMap(RFC3339.parse) ?? received
        if Double(at - received) > Self.maxClockSkew * 1000 { at = received }
        return (at, received)
    }

    /// Where a reorder window W > 0 orders a notification: `max(at, received − W)`.
    static func key(at: Millis, received: Millis, reorderWindow: Double) -> Millis {
        max(at, received - Millis(reorderWindow * 1000))
    }

    /// The inputs of `rows` (any order), sorted as serve observes them.
    init(rows: [InboxRecord], reorderWindow: Double) {
        var keyed: [(key: Millis, input: Input)] = []
        for row in rows.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) }) {
            guard let id = row.id else { continue }
            guard let body = StoreJSON.parse(row.body), body.objectValue != nil else {
                unusable += 1
                continue
            }
            if let remote = body["remoteEvent"], !remote.isNull {
                remoteEvents += 1
                continue
            }
            guard let vin = row.vin, !vin.isEmpty else {
                unusable += 1
                continue
            }
            let (at, received) = Self.instant(of: row)
            let line = StoreJSON.string(.object(["at": .string(RFC3339.formatUTC(at)), "vin": .string(vin), "message": body]))
            let parsed = ReplayEvents.parse(line)
            guard parsed.errors.isEmpty, let event = parsed.events.first else {
                unusable += 1
                continue
            }
            let key = reorderWindow > 0 ? Self.key(at: at, received: received, reorderWindow: reorderWindow) : Millis(keyed.count)
            keyed.append((key, Input(inboxId: id, at: at, vin: vin, observation: event.observation, key: key, received: received,
                                     processed: row.processed)))
        }
        // A stable sort: equal keys keep their arrival order.
        inputs = keyed.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element.input)
    }
}
