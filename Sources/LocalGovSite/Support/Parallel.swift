import Dispatch
import Foundation

/// Maps on every core, keeping the input order, for CPU-bound work without suspension points
/// (parsing and rendering). Each result lands in its own slot, so no lock is needed.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    let slots = ResultSlots<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
        slots.store(transform(items[index]), at: index)
    }
    return slots.take()
}

/// Room for one result per item, each filled once, then moved out together.
private final class ResultSlots<R>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<R>

    init(count: Int) { buffer = .allocate(capacity: count) }

    /// Only deallocates: `take` has moved every result out.
    deinit { buffer.deallocate() }

    func store(_ value: R, at index: Int) { (buffer.baseAddress! + index).initialize(to: value) }

    /// Every result, moved into an array. Copying them out, then destroying the slots, cost two
    /// passes of reference counting over results as large as whole parses.
    func take() -> [R] {
        Array(unsafeUninitializedCapacity: buffer.count) { array, count in
            _ = array.moveInitialize(fromContentsOf: buffer)
            count = buffer.count
        }
    }
}

/// Work started on a thread of its own while the caller goes on with other work, its result
/// taken at `wait()`. For a stage that shares nothing with what runs beside it: the search
/// index beside the pages, so that the serial parts of each fill the cores the other leaves idle.
/// A thread rather than a queue: the caller may itself be on one of dispatch's threads, blocked
/// in `wait()`, and the work must not wait for a thread of that same pool.
public final class WorkAside<R: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the thread before `done` is signalled, read once after it.
    private var result: R?

    public init(_ work: @escaping @Sendable () -> R) {
        let thread = Thread { [self] in
            result = work()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    public func wait() -> R {
        done.wait()
        defer { result = nil }
        return result!
    }
}
