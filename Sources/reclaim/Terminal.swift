import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reading what the user types: secrets without echo, from a file for scripts.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// A secret from `file` (its first line), or typed at a prompt without echo.
    static func secret(_ prompt: String, file: String?, confirm: Bool = false) throws -> String {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("Cannot read \(file).")
            }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        guard isInteractive else {
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("\(prompt) expected on standard input.") }
            return line
        }
        let first = readWithoutEcho(prompt + ": ")
        if confirm {
            let again = readWithoutEcho("Again, to confirm: ")
            guard first == again else { throw ValidationError("The two entries differ; nothing was sent.") }
        }
        return first
    }

    /// A line typed at a prompt.
    static func line(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data((prompt + ": ").utf8))
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("\(prompt) expected on standard input.") }
        return line
    }

    static func readWithoutEcho(_ prompt: String) -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }

    static func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
