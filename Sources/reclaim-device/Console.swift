import ArgumentParser
import DeviceAgent
import Foundation
import ReclaimCore

#if canImport(Glibc)
    import Glibc
#endif

struct Console: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The local menu of a running device, as its monitor shows it: sign-in, and \"Forgot password\" with its modes.",
        discussion: """
            Arrow keys move, Enter chooses, Esc goes back, Ctrl-C quits. The console speaks to the running device
            through the control socket in its data folder, so every attempt counts in the device's lock-out as on
            its web page. --usb names a folder that stands for the USB stick plugged into the device: its .xml files
            are offered as GUID files. The reserved e-mail's QR code needs a terminal of 80 × 50 or larger.
            """)

    @Argument(help: "The device's serial number.")
    var serial: String

    @Option(help: "The data folder of the running device or farm.")
    var data: String = "."

    @Option(help: "A folder that stands for the USB stick plugged into the device.")
    var usb: String?

    @Option(help: "The menu's language: en or it (default: Italian when LANG says so, else English).")
    var lang: String?

    func run() throws {
        let language: Language
        if let lang {
            guard let chosen = Language(rawValue: lang.lowercased()) else { throw ValidationError("--lang takes en or it.") }
            language = chosen
        } else {
            let environment = ProcessInfo.processInfo.environment
            language = (environment["LC_ALL"] ?? environment["LANG"] ?? "").hasPrefix("it") ? .italian : .english
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw ValidationError("The console draws a menu in a terminal: run it in one.")
        }
        let socket = (data as NSString).appendingPathComponent("control.sock")
        let link = ConsoleLink(socketPath: socket, serial: serial, usbFolder: usb)
        var menu = ConsoleMenu(serial: serial, language: language, dataFolder: data, socketPath: socket, usbFolder: usb)

        RawTerminal.enter()
        defer { RawTerminal.restore() }
        var drawn = ""
        func draw() {
            let output = menu.screen.ansi(width: RawTerminal.width)
            guard output != drawn else { return }
            RawTerminal.write(output)
            drawn = output
        }
        // One action at a time, then one key at a time: a key typed while the device was
        // asked lands on the screen its answer made, not on the one before.
        var actions = menu.start()
        var keys: [ConsoleKey] = []
        while true {
            if !actions.isEmpty {
                let action = actions.removeFirst()
                if action == .quit { return }
                draw()
                if let event = link.perform(action) { actions += menu.handle(event) }
            } else if keys.isEmpty {
                draw()
                keys = RawTerminal.readKeys()
            } else {
                actions += menu.handle(.key(keys.removeFirst()))
            }
        }
    }
}

/// Performs the menu's actions: the control socket, the folder standing for the USB stick.
struct ConsoleLink {
    let socketPath: String
    let serial: String
    let usbFolder: String?

    /// A GUID file is a few hundred bytes; anything much larger is not one.
    static let largestFile = 1 << 20

    func perform(_ action: ConsoleMenu.Action) -> ConsoleMenu.Event? {
        switch action {
        case .quit:
            return nil
        case .ask(let request):
            let line: String
            do {
                line = try ControlClient.send(ConsoleWire.requestLine(serial: serial, request), to: socketPath)
            } catch {
                return .unreachable
            }
            if let answer = ConsoleWire.answer(from: line) { return .device(answer) }
            return line.hasPrefix("error no device") ? .notHere : .unreachable
        case .listUSBFiles:
            guard let usbFolder else { return .usbListed(nil) }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: usbFolder)) ?? []
            return .usbListed(names.filter { $0.lowercased().hasSuffix(".xml") && !$0.hasPrefix(".") }.sorted())
        case .readUSBFile(let name):
            guard let usbFolder,
                let data = FileManager.default.contents(atPath: (usbFolder as NSString).appendingPathComponent(name)),
                data.count <= Self.largestFile
            else { return .usbFileUnreadable(name: name) }
            return .usbFileRead(name: name, bytes: Array(data))
        }
    }
}

/// The terminal in raw mode while the console runs, and given back as it was on every
/// way out: the end of `run`, a thrown error, Ctrl-C, or a signal from outside (a closed
/// terminal, `kill`).
enum RawTerminal {
    /// The settings to restore; written once before any handler is installed.
    nonisolated(unsafe) static var saved = termios()
    /// Normal colours, the cursor shown, the main screen back: bytes made before any
    /// handler runs, since a signal handler must not allocate.
    static let leave: [UInt8] = Array("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l".utf8)

    static func enter() {
        tcgetattr(STDIN_FILENO, &saved)
        _ = leave.count
        var raw = saved
        raw.c_iflag &= ~tcflag_t(ICRNL | IXON | BRKINT | INPCK | ISTRIP)
        // ISIG stays on: Ctrl-C raises SIGINT even while the device is being asked, and the
        // handler below gives the terminal back before the process ends.
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
            Glibc.signal(signal) { number in
                RawTerminal.restore()
                _exit(128 + number)
            }
        }
        // Ctrl-Z would stop the process with the terminal still raw.
        Glibc.signal(SIGTSTP, SIG_IGN)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
        write("\u{1B}[?1049h\u{1B}[?25l")
    }

    /// Safe in a signal handler: `write` and `tcsetattr` only.
    static func restore() {
        leave.withUnsafeBytes { _ = Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
    }

    static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    static var width: Int {
        var size = winsize()
        guard withUnsafeMutablePointer(to: &size, { ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), $0) }) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Waits for keys. A lone Escape is told from the start of an arrow by waiting a
    /// moment for the rest of the sequence.
    static func readKeys() -> [ConsoleKey] {
        var bytes = readSome()
        guard !bytes.isEmpty else { return [.interrupt] }  // the terminal is gone
        while true {
            let (keys, rest) = ConsoleKeys.decode(bytes, final: false)
            if rest.isEmpty { return keys }
            var ready = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 50) > 0 else { return ConsoleKeys.decode(bytes, final: true).keys }
            let more = readSome()
            guard !more.isEmpty else { return ConsoleKeys.decode(bytes, final: true).keys }
            bytes += more
        }
    }

    static func readSome() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(STDIN_FILENO, &buffer, 256)
            if count < 0, errno == EINTR { continue }
            return count > 0 ? Array(buffer[0..<count]) : []
        }
    }
}
