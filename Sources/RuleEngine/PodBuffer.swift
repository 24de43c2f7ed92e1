#if canImport(Glibc)
import Glibc
#endif

/// A growable buffer of plain values (no references) for the engine's per-vehicle state:
/// reads and writes go through a raw pointer (no copy-on-write or uniqueness checks on
/// the hot path), and large buffers ask Linux for transparent huge pages, so that
/// vehicles picked at random cost a cache miss and not a page walk as well.
///
/// Not thread-safe; like the engine that owns it, confined to one caller at a time (hence
/// its stored properties without dynamic exclusivity checks).
final class PodBuffer<Element> {
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init() {
        capacity = 0
        base = UnsafeMutablePointer<Element>.allocate(capacity: 1)
        assert(_isPOD(Element.self), "PodBuffer holds plain values only")
    }

    deinit { base.deallocate() }

    @inline(__always) subscript(i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    /// Appends `n` copies of `value`.
    func append(_ value: Element, count n: Int) {
        if count + n > capacity { grow(to: count + n) }
        (base + count).initialize(repeating: value, count: n)
        count += n
    }

    /// Appends the elements of `items`.
    func append(contentsOf items: UnsafeBufferPointer<Element>) {
        guard let source = items.baseAddress, !items.isEmpty else { return }
        if count + items.count > capacity { grow(to: count + items.count) }
        (base + count).initialize(from: source, count: items.count)
        count += items.count
    }

    /// Empties the buffer and keeps its memory (plain values: nothing to deinitialise).
    func removeAll() { count = 0 }

    /// The elements, read in place (valid until the buffer next grows).
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    private func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2, 64)
        let bytes = newCapacity * MemoryLayout<Element>.stride
        let huge = 2 << 20
        let alignment = bytes >= huge ? huge : max(64, MemoryLayout<Element>.alignment)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
        #if os(Linux)
        if bytes >= huge { _ = madvise(raw, bytes, MADV_HUGEPAGE) }
        #endif
        let fresh = raw.bindMemory(to: Element.self, capacity: newCapacity)
        fresh.moveInitialize(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }
}
