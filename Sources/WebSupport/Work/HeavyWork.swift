import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where work that anyone can ask for and that takes a core for a while runs: parsing an
/// uploaded photo's multipart body, decoding its pixels, reading its codes.
///
/// A pool of its own, of fewer threads than the machine has cores, whose threads run at a
/// lower CPU priority (nice 10): when photos and ordinary requests want the CPU at once,
/// the threads answering requests win, so `/health` or a sign-in stays quick while photos
/// are read. The pool lives as long as the process, like `NIOThreadPool.singleton`.
public enum HeavyWork {
    public static let threads = max(1, System.coreCount - 1)

    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        return pool
    }()

    /// Runs `body` on one of the pool's threads.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive {
            lowerThisThreadsPriority()
            return try body()
        }
    }

    /// Lowers the calling thread's priority; the pool's threads do nothing else, so it is
    /// never raised again (an unprivileged process could not).
    private static func lowerThisThreadsPriority() {
        #if os(Linux)
            // On Linux the nice value is per thread, and `who` 0 names the calling thread.
            let thisThread = __priority_which_t(PRIO_PROCESS.rawValue)
            if getpriority(thisThread, 0) < 10 { _ = setpriority(thisThread, 0, 10) }
        #endif
    }
}
