import Foundation
import RuleEngine

/// The last stage of a streaming replay: renders decisions (JSON Lines or the text
/// timeline), explanations, warnings and errors, in the order the engine side hands
/// them on, and writes them. `threaded`, it runs on a thread of its own behind a
/// bounded queue (rendering then overlaps the engine); else it renders at once.
///
/// `@unchecked Sendable`: `pending` is used by the engine's thread only; the outputs and
/// the counters by the writing thread only (the engine's, when not threaded), and read
/// by the engine's thread after `finish()` has waited for the writer to end.
final class ReplayWriter: @unchecked Sendable {
    enum Item {
        case decision(Decision)
        case explanation(Explanation)
        /// Text for stderr (warnings, errors).
        case diagnostic(String)
        /// Text for stdout (the summary).
        case text(String)
    }

    let format: DryRunOptions.Format
    let output: ReplayOutput
    let errors: ReplayOutput
    private let queue: ReplayBatchQueue<[Item]>?
    /// Arrays of items the writing thread has rendered, emptied, handed back for reuse
    /// (no new array, no fresh pages, per chunk).
    private let spare: ReplayBatchQueue<[Item]>?
    private let done = DispatchSemaphore(value: 0)
    private var pending: [Item] = []
    /// Used by the writing thread only.
    private var renderer = ReplayDecisionJSON.Renderer()
    static let chunk = 1024
    /// CPU seconds of the writing thread (threaded), or seconds spent rendering.
    private(set) var seconds = 0.0

    init(format: DryRunOptions.Format, output: ReplayOutput, errors: ReplayOutput, threaded: Bool) {
        self.format = format
        self.output = output
        self.errors = errors
        pending.reserveCapacity(Self.chunk)
        guard threaded else {
            queue = nil
            spare = nil
            return
        }
        let queue = ReplayBatchQueue<[Item]>(capacity: 8)
        self.queue = queue
        // Never full: at most 8 arrays wait in `queue`, one is filled, one rendered.
        let spare = ReplayBatchQueue<[Item]>(capacity: 12)
        self.spare = spare
        let thread = Thread { [self] in
            let cpu = ReplayClock.threadCPU()
            while var items = queue.take() {
                render(items)
                items.removeAll(keepingCapacity: true)
                spare.put(items)
            }
            seconds = ReplayClock.threadCPU() - cpu
            done.signal()
        }
        thread.name = "vigie-replay-writer"
        thread.start()
    }

    func add(_ item: Item) {
        pending.append(item)
        if pending.count >= Self.chunk { send() }
    }

    /// Hands on what was added (at the end of each batch of events).
    func send() {
        guard !pending.isEmpty else { return }
        if let queue, let spare {
            queue.put(pending)
            pending = spare.poll() ?? []
            pending.reserveCapacity(Self.chunk)
        } else {
            let t0 = ReplayClock.now()
            render(pending)
            pending.removeAll(keepingCapacity: true)
            seconds += ReplayClock.now() - t0
        }
    }

    /// Everything written (and flushed by the caller afterwards).
    func finish() {
        send()
        guard let queue else { return }
        queue.close()
        done.wait()
    }

    private func render(_ items: [Item]) {
        for item in items {
            switch item {
            case .decision(let d):
                switch format {
                case .json: output.write { renderer.append(d, to: &$0) }
                case .text: output.write(ReplayFormat.text(d) + "\n")
                }
            case .explanation(let e):
                switch format {
                case .json: errors.write(ReplayFormat.text(e))
                case .text: output.write(ReplayFormat.text(e))
                }
            case .diagnostic(let text): errors.write(text)
            case .text(let text): output.write(text)
            }
        }
    }
}
