import RuleEngine
import VehicleData

/// Consecutive events of a replay file, parsed, in flat arrays (no allocation per
/// event): what the reader task hands to the engine through the bounded queue.
/// Vehicles are numbered by the reader in the order their VINs first appear; the VINs
/// first seen in this batch are listed (`newVINs`), so the engine side maps numbers to
/// engine handles without hashing a VIN per event.
struct ReplayBatch {
    /// 1-based line number of each event.
    var lines: [Int] = []
    var at: [Millis] = []
    /// The reader's number of each event's vehicle.
    var vehicle: [Int32] = []
    /// Event i's fields are `values[offsets[i]..<offsets[i + 1]]`, sorted by field.
    var offsets: [Int32] = [0]
    var values: [(FieldID, FieldValue)] = []
    /// Data times of the values that have one (a status payload's timestamps), by event
    /// index; most events have none.
    var dataTimes: [Int: [FieldID: Millis]] = [:]
    /// VINs first seen in this batch, in the order of their numbers (which follow those
    /// of the batches before).
    var newVINs: [String] = []
    /// Decode warnings to print (each field and value once per run), with their lines,
    /// before the event of their line is replayed.
    var warnings: [(line: Int, warning: DecodeWarning)] = []
    /// Broken lines, in order.
    var errors: [ReplayError] = []
    /// Lines read into this batch (events, errors, blank lines).
    var linesRead = 0

    var count: Int { at.count }

    init(capacity: Int) {
        lines.reserveCapacity(capacity)
        at.reserveCapacity(capacity)
        vehicle.reserveCapacity(capacity)
        offsets.reserveCapacity(capacity + 1)
        values.reserveCapacity(capacity * 8)
    }

    /// Empties the batch, keeping its arrays' storage (a batch the engine is done with,
    /// reused by the reader: no allocation and no fresh pages per batch).
    mutating func reset() {
        lines.removeAll(keepingCapacity: true)
        at.removeAll(keepingCapacity: true)
        vehicle.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        values.removeAll(keepingCapacity: true)
        if !dataTimes.isEmpty { dataTimes.removeAll() }
        newVINs.removeAll()
        warnings.removeAll()
        errors.removeAll()
        linesRead = 0
    }

    /// Ends the event whose values were just appended.
    mutating func close(line: Int, at t: Millis, vehicle v: Int32) {
        lines.append(line)
        at.append(t)
        vehicle.append(v)
        offsets.append(Int32(values.count))
    }
}
