import Foundation
import RuleEngine
import VehicleData

/// `vigie dry-run` in constant memory: a reader reads the events file in chunks and
/// parses its lines into batches (`ReplayLineParser`); the engine observes each batch
/// and its decisions are written at once through a buffered `ReplayOutput`. With
/// `pipelined`, the reader runs on a thread of its own and hands batches on through a
/// bounded queue (`ReplayBatchQueue`), and decisions are rendered and written on a third
/// (`ReplayWriter`), so that parsing, evaluation and writing overlap on two cores; the
/// engine still sees the events one after the other in file order, so the
/// decisions and their order are those of `ReplayRunner` over the whole file.
struct ReplayStream: Sendable {
    var runner: ReplayRunner
    var format: DryRunOptions.Format
    var until: Millis?
    /// `--until` as written (for its error message).
    var untilText: String?
    /// The events file as named on the command line (for messages).
    var eventsPath: String
    var pipelined = true
    var batchLines = 4096
    var queueCapacity = 4

    enum Item {
        case batch(ReplayBatch)
        case end(ReaderEnd)
    }

    /// What the reader found, once the whole file is read.
    struct ReaderEnd {
        var lines = 0, events = 0, errors = 0, fastLines = 0, tapeLines = 0, bytes = 0
        var beyondUntil = false
        var last: Millis?
        var readFailure: String?
        var readSeconds = 0.0, cpuSeconds = 0.0
    }

    /// Replays the file open at `fd`; returns the exit status (0, 1: broken lines, 64:
    /// `--until` before the last event, or a read failure).
    func run(fileDescriptor fd: Int32, output: ReplayOutput, errors: ReplayOutput) -> (Int32, ReplayStats) {
        let wallStart = ReplayClock.now()
        var consumer = Consumer(stream: self, output: output, errors: errors)
        var end = ReaderEnd()
        var waits = (producer: 0.0, consumer: 0.0)
        if pipelined {
            let queue = ReplayBatchQueue<Item>(capacity: queueCapacity)
            // Batches the engine is done with, back to the reader; never full (at most
            // `queueCapacity` + 2 batches exist).
            let spare = ReplayBatchQueue<ReplayBatch>(capacity: queueCapacity + 4)
            let reader = Thread { [self] in
                let end = read(fd, emit: { queue.put(.batch($0)) }, next: { spare.poll() })
                queue.put(.end(end))
                queue.close()
            }
            reader.name = "vigie-replay-reader"
            // The JSON parser recurses down to 512 levels: as much stack as the main thread.
            reader.stackSize = 8 << 20
            reader.start()
            while var item = queue.take() {
                switch item {
                case .batch(var b):
                    // The batch's only owner from here on (else `reset` would copy its arrays).
                    item = .end(ReaderEnd())
                    consumer.consume(b)
                    b.reset()
                    spare.put(b)
                case .end(let e): end = e
                }
            }
            waits = queue.waits
        } else {
            end = read(fd, emit: { consumer.consume($0) }, next: { nil })
        }
        let code = consumer.finish(end)
        var stats = consumer.stats
        stats.lines = end.lines
        stats.events = end.events
        stats.fastLines = end.fastLines
        stats.tapeLines = end.tapeLines
        stats.bytes = end.bytes
        stats.readSeconds = end.readSeconds
        stats.parseSeconds = pipelined ? max(0, end.cpuSeconds - end.readSeconds) : stats.parseSeconds
        stats.readerWaitSeconds = waits.producer
        stats.engineWaitSeconds = waits.consumer
        stats.pipelined = pipelined
        stats.wallSeconds = ReplayClock.now() - wallStart
        if !pipelined {
            stats.parseSeconds = max(0, stats.wallSeconds - end.readSeconds - stats.engineSeconds - stats.takeSeconds
                                     - stats.writeSeconds)
        }
        return (code, stats)
    }

    /// Reads and parses the whole file, handing on a batch every `batchLines` lines. The
    /// next batch is one the engine is done with (`next`, emptied), else a new one; on one
    /// thread, `emit` is done with the batch when it returns, and it is reused at once.
    private func read(_ fd: Int32, emit: (ReplayBatch) -> Void, next: () -> ReplayBatch?) -> ReaderEnd {
        let cpuStart = ReplayClock.threadCPU()
        var reader = ReplayLineReader(fileDescriptor: fd)
        var parser = ReplayLineParser(until: until)
        var batch = ReplayBatch(capacity: batchLines)
        var end = ReaderEnd()
        do {
            try reader.forEachLine { raw, n in
                parser.take(raw, line: n, into: &batch)
                batch.linesRead += 1
                end.lines = n
                if batch.linesRead >= batchLines {
                    emit(batch)
                    if pipelined {
                        batch = next() ?? ReplayBatch(capacity: batchLines)
                    } else {
                        batch.reset()
                    }
                }
                return true
            }
        } catch {
            end.readFailure = "\(error)"
        }
        if batch.linesRead > 0 { emit(batch) }
        end.events = parser.events
        end.errors = parser.errors
        end.fastLines = parser.fastLines
        end.tapeLines = parser.tapeLines
        end.beyondUntil = parser.beyondUntil
        end.last = parser.last
        end.bytes = reader.bytesRead
        end.readSeconds = reader.readSeconds
        end.cpuSeconds = ReplayClock.threadCPU() - cpuStart
        return end
    }

    /// The engine's side: observes batches and hands on, in the order they are made,
    /// decisions and explanations (and warnings and errors as they come) to the writer.
    struct Consumer {
        let stream: ReplayStream
        let writer: ReplayWriter
        let engine: RuleEngine
        var handles: [VehicleHandle] = []
        var observations: [FlatBatchObservation] = []
        var stats = ReplayStats()
        /// Explanations made and not yet handed on, with the number of decisions before each.
        let pending = PendingExplanations()

        final class PendingExplanations {
            var items: [(index: Int, explanation: Explanation)] = []
        }

        init(stream: ReplayStream, output: ReplayOutput, errors: ReplayOutput) {
            self.stream = stream
            writer = ReplayWriter(format: stream.format, output: output, errors: errors, threaded: stream.pipelined)
            engine = stream.runner.makeEngine()
            if !stream.runner.explain.isEmpty {
                engine.explainRules = stream.runner.explain
                engine.onExplain = { [unowned engine, pending] in pending.items.append((engine.pendingDecisionCount, $0)) }
            }
        }

        mutating func consume(_ batch: ReplayBatch) {
            for (line, w) in batch.warnings {
                writer.add(.diagnostic("\(stream.eventsPath):\(line): warning: \(w.field) = \(w.value): \(w.message)\n"))
            }
            for e in batch.errors {
                writer.add(.diagnostic("\(stream.eventsPath):\(e.line): error: \(e.message)\n"))
            }
            for vin in batch.newVINs { handles.append(engine.handle(vin: vin)) }
            if batch.count > 0 {
                let t0 = ReplayClock.now()
                observations.removeAll(keepingCapacity: true)
                batch.values.withUnsafeBufferPointer { values in
                    batch.offsets.withUnsafeBufferPointer { offsets in
                        for i in 0..<batch.count {
                            observations.append(FlatBatchObservation(
                                vehicle: handles[Int(batch.vehicle[i])], at: batch.at[i],
                                values: UnsafeBufferPointer(rebasing: values[Int(offsets[i])..<Int(offsets[i + 1])]),
                                dataTimes: batch.dataTimes.isEmpty ? nil : batch.dataTimes[i]))
                        }
                        engine.observe(flatBatch: observations)
                    }
                }
                observations.removeAll(keepingCapacity: true)
                let t1 = ReplayClock.now()
                stats.engineSeconds += t1 - t0
                drain()
                stats.takeSeconds += ReplayClock.now() - t1
            }
            writer.send()
        }

        /// Hands on the decisions made so far, each explanation before the decision its
        /// evaluation made.
        mutating func drain() {
            var decisions = 0, fired = 0
            let explanations = pending.items
            pending.items.removeAll()
            let writer = writer
            engine.takeDecisions { made in
                decisions = made.count
                for i in made.indices where made.event(i) == .fired { fired += 1 }
                var next = 0
                for (index, e) in explanations {
                    while next < index { writer.add(.decision(made[next])); next += 1 }
                    writer.add(.explanation(e))
                }
                while next < made.count { writer.add(.decision(made[next])); next += 1 }
            }
            stats.decisions += decisions
            stats.fired += fired
        }

        /// After the last batch: timers up to `until`, the summary, the exit status; waits
        /// for the writer.
        mutating func finish(_ end: ReaderEnd) -> Int32 {
            defer {
                writer.finish()
                stats.writeSeconds = writer.seconds
            }
            if let failure = end.readFailure {
                writer.add(.diagnostic("error: cannot read events file \(stream.eventsPath): \(failure)\n"))
                return 64
            }
            if end.errors > 0 { return 1 }
            if end.beyondUntil, let last = end.last {
                writer.add(.diagnostic("error: --until \(stream.untilText ?? "") is before the last event (\(RFC3339.formatUTC(last)))\n"))
                return 64
            }
            if let until = stream.until {
                let t0 = ReplayClock.now()
                engine.advance(to: until)
                stats.engineSeconds += ReplayClock.now() - t0
                drain()
            }
            if stream.format == .text {
                writer.add(.text(ReplayFormat.summary(decisions: stats.decisions, fired: stats.fired, events: end.events) + "\n"))
            }
            stats.vehicles = engine.vehicleCount
            stats.stateBytes = engine.vehicleCount * engine.stateBytesPerVehicle
            return 0
        }
    }
}
