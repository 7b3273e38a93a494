/// The one rule for an e-mail address, at every boundary it crosses: the device that
/// keeps it, the authority that reads it from a challenge, the portal, the mail writer.
///
/// An address is `local@domain`: at most 254 bytes, a local part, a domain with a dot
/// inside it, and no character that could end a header line or a command, or start a
/// comment or a route (control characters, spaces, `<>"(),;:[]\`). A challenge signed by a
/// device is still refused if its address breaks this: nothing that reaches a mail header
/// can carry CR or LF.
public enum EmailAddress {
    public static func isPlausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard address.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            address.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !forbidden.contains($0) })
        else { return false }
        return true
    }

    private static let forbidden = Set("<>\"(),;:[]\\".unicodeScalars)
}
