import Foundation
import RuleEngine
import VehicleData

/// Reads the lines of a replay file one at a time, straight from their bytes, into
/// `ReplayBatch`es, exactly as `ReplayEvents.parse` reads the whole text: same events,
/// same errors with the same line numbers and words, same warnings. A line is trimmed
/// of white space (a leading byte-order mark on line 1 dropped) and goes the fast way
/// (`ReplaySetLine`) when it is a plain `set` line; a `status` or `message` line is read
/// in place from its bytes (`JSONTape`, then `ReplayEvents.parseTapeLine`: the same
/// `StatusDecoder` and webhook-message reading as the general way, on the tape's nodes);
/// anything else, and any line the tape does not take, goes the general way: VehicleData's
/// parser, then `ReplayEvents.parseLine` (status payloads through `StatusDecoder`, webhook
/// messages through `ReplayEvents.parseMessage`), which also words every error. A line with a byte outside ASCII is
/// first made a `String` as the whole-text reader makes it (invalid UTF-8 repaired).
///
/// After the first error no more events are handed on (the engine stops), but every
/// line is still read, so that every broken line is reported; the same after the first
/// event later than `until` (the last event's instant is then needed for the message).
struct ReplayLineParser {
    let until: Millis?
    private var setLine = ReplaySetLine()
    private var vehicles = ReplayVehicleTable()
    private var seenWarnings = Set<[String]>()
    /// `at` of the last good line (whether or not it was handed on).
    private(set) var last: Millis?
    private(set) var events = 0
    private(set) var errors = 0
    private(set) var beyondUntil = false
    /// Lines read the fast way (for the benchmark).
    private(set) var fastLines = 0
    /// `status` and `message` lines read in place from their bytes (`JSONTape`).
    private(set) var tapeLines = 0
    private let tape = JSONTape()

    init(until: Millis?) {
        self.until = until
    }

    /// Whether events still go to the engine.
    var handsOn: Bool { errors == 0 && !beyondUntil }

    /// The number the next new vehicle gets.
    var vehicleCount: Int32 { Int32(vehicles.count) }

    /// Reads raw line `n` (without its `\n`) into `batch`: an event, an error, or nothing
    /// (a blank line).
    mutating func take(_ raw: UnsafeBufferPointer<UInt8>, line n: Int, into batch: inout ReplayBatch) {
        var any: UInt8 = 0
        for b in raw { any |= b }
        guard any < 0x80 else {
            var text = String(decoding: raw, as: UTF8.self)
            if n == 1, text.first == "\u{FEFF}" { text = String(text.dropFirst()) }
            var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return }
            trimmed.withUTF8 { general($0, line: n, into: &batch) }
            return
        }
        var lo = 0, hi = raw.count
        while lo < hi, raw[lo] == 0x20 || (raw[lo] >= 0x09 && raw[lo] <= 0x0D) { lo += 1 }
        while hi > lo, raw[hi - 1] == 0x20 || (raw[hi - 1] >= 0x09 && raw[hi - 1] <= 0x0D) { hi -= 1 }
        if lo == hi { return }
        let line = UnsafeBufferPointer(rebasing: raw[lo..<hi])
        let mark = batch.values.count
        if let parsed = setLine.parse(line, into: &batch.values, vehicles: vehicles) {
            fastLines += 1
            guard accept(parsed.at, line: n, into: &batch) else {
                batch.values.removeSubrange(mark...)
                return
            }
            let (v, isNew) = vehicles.number(UnsafeBufferPointer(rebasing: line[parsed.vin]))
            if isNew { batch.newVINs.append(String(decoding: UnsafeBufferPointer(rebasing: line[parsed.vin]), as: UTF8.self)) }
            batch.close(line: n, at: parsed.at, vehicle: v)
            return
        }
        if tape.parse(line), let event = ReplayEvents.parseTapeLine(tape.root, line: n) {
            tapeLines += 1
            deliver(event, into: &batch)
            return
        }
        general(line, line: n, into: &batch)
    }

    /// The general way: the JSON value, then `ReplayEvents.parseLine`.
    private mutating func general(_ line: UnsafeBufferPointer<UInt8>, line n: Int, into batch: inout ReplayBatch) {
        let json: JSONValue
        do { json = try JSONValue(parsingUTF8: line) } catch {
            fail(ReplayError(line: n, message: "bad JSON: \(error)"), into: &batch)
            return
        }
        switch ReplayEvents.parseLine(json, line: n) {
        case .failure(let e): fail(e, into: &batch)
        case .success(let event): deliver(event, into: &batch)
        }
    }

    /// Hands on a good line's event (its warnings first, each field and value once).
    private mutating func deliver(_ event: ReplayEvent, into batch: inout ReplayBatch) {
        let n = event.line
        guard accept(event.at, line: n, into: &batch) else { return }
        for w in event.warnings where seenWarnings.insert([w.field, w.value]).inserted {
            batch.warnings.append((n, w))
        }
        if !event.observation.dataTimes.isEmpty { batch.dataTimes[batch.count] = event.observation.dataTimes }
        var pairs = event.observation.values.map { ($0.key, $0.value) }
        pairs.sort { $0.0 < $1.0 }
        batch.values.append(contentsOf: pairs)
        var vin = event.vin
        let (v, isNew) = vin.withUTF8 { vehicles.number($0) }
        if isNew { batch.newVINs.append(event.vin) }
        batch.close(line: n, at: event.at, vehicle: v)
    }

    /// Checks the order of a good line's `at`; false when the event is not handed on.
    private mutating func accept(_ at: Millis, line n: Int, into batch: inout ReplayBatch) -> Bool {
        if let last, at < last {
            fail(ReplayError(line: n, message: "`at` goes backwards: \(RFC3339.formatUTC(at)) is before "
                             + "the previous line's \(RFC3339.formatUTC(last))"), into: &batch)
            return false
        }
        last = at
        if let until, at > until { beyondUntil = true }
        guard handsOn else { return false }
        events += 1
        return true
    }

    private mutating func fail(_ error: ReplayError, into batch: inout ReplayBatch) {
        errors += 1
        batch.errors.append(error)
    }
}
