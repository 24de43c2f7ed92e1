import DequeModule
import HeapModule

/// The engine's timers in `EngineTimer` order. Most timers are `now + d` for the `for`
/// or `repeat` duration `d` of a rule, and the engine's instants never go back, so those
/// of one kind and duration arrive in order: they queue in a first-in first-out lane
/// (constant time, no heap churn). A timer that would break its lane's order (a tie
/// arriving out of rule or vehicle order, a restored timer) and schedule boundaries go
/// to a heap; the next timer is the least of the heap's and the lanes' heads.
struct TimerQueue {
    private var heap = Heap<EngineTimer>()
    private var lanes: [Deque<EngineTimer>]
    /// The next timer and its lane (-1: the heap), kept up to date: most calls find
    /// nothing due and answer from it without looking at the lanes.
    private var head: (timer: EngineTimer, lane: Int)?

    /// `lanes`: how many lanes the engine uses (see `RuleEngine.timerLane`).
    init(lanes: Int) {
        self.lanes = Array(repeating: Deque(), count: lanes)
    }

    /// Adds `timer`, in lane `lane` when it keeps that lane in order (-1: the heap).
    mutating func insert(_ timer: EngineTimer, lane: Int = -1) {
        let used: Int
        if lane >= 0, lanes[lane].last.map({ $0 < timer }) ?? true {
            lanes[lane].append(timer)
            used = lane
        } else {
            heap.insert(timer)
            used = -1
        }
        // A timer before the head is the head of its lane (appended to an empty one: a
        // lane's earlier timers all come before it) or of the heap.
        if head.map({ timer < $0.timer }) ?? true { head = (timer, used) }
    }

    /// The next timer (-1: the heap's head).
    private func next() -> (timer: EngineTimer, lane: Int)? {
        var best = heap.min.map { ($0, -1) }
        for i in lanes.indices {
            guard let head = lanes[i].first else { continue }
            if best == nil || head < best!.0 { best = (head, i) }
        }
        return best
    }

    var min: EngineTimer? { head?.timer }

    /// Removes and returns the next timer when it is due at or before `t`.
    mutating func popMin(through t: Millis) -> EngineTimer? {
        popMinInLane(through: t)?.timer
    }

    /// `popMin`, with the lane the timer came from (-1: the heap).
    mutating func popMinInLane(through t: Millis) -> (timer: EngineTimer, lane: Int)? {
        guard let (timer, lane) = head, timer.at <= t else { return nil }
        if lane < 0 { heap.removeMin() } else { lanes[lane].removeFirst() }
        head = next()
        return (timer, lane)
    }

    /// The timer `offset` places behind the head of lane `lane`, if any (what a lane will
    /// run next is known in advance: the engine prefetches its vehicles' state).
    func peek(lane: Int, offset: Int) -> EngineTimer? {
        offset < lanes[lane].count ? lanes[lane][offset] : nil
    }
}
