import ReclaimTestSupport
import Testing

@testable import DeviceAgent

@Suite struct NonceWindowTests {
    @Test func acceptsEachCountOnceEvenOutOfOrder() {
        var window = NonceWindow()
        let answers = [1, 3, 2, 2, 3, 100, 30, 99].map { window.accept(UInt32($0)) }
        // 2 arrives late but unseen: accepted; a second 2 or 3 is a replay; 30 is too old to tell.
        #expect(answers == [true, true, true, false, false, true, false, true])
    }
}
