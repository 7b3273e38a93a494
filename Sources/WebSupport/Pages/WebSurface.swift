/// A web surface of Reclaim — the device page, the portal, the owner app — as the page
/// layer sees it: its texts (the shared ones included), its templates (the shared layout
/// included), and how its cookies are set.
public struct WebSurface: Sendable {
    public let name: String
    public let strings: StringCatalog
    public let templates: TemplateLibrary
    /// Cookies marked `Secure`: behind HTTPS.
    public let secureCookies: Bool
    /// Where the surface's pages may load images and scripts from beyond the defaults of
    /// ``PageHeaders`` (none): the portal shows label photos and one script it serves itself.
    public let ownImagesAndScripts: Bool

    /// - Parameters:
    ///   - strings: the surface's texts; the shared ones (``SharedStrings``) are added.
    ///   - templates: the surface's templates; the shared layout is added, and its pages
    ///     extend it as `{{<layout}}{{$content}}…{{/content}}{{/layout}}`.
    public init(
        name: String, strings: StringCatalog, templates: [String: String], secureCookies: Bool = false, ownImagesAndScripts: Bool = false
    ) {
        self.name = name
        self.ownImagesAndScripts = ownImagesAndScripts
        self.strings = SharedStrings.catalog.merging(strings)
        self.templates = TemplateLibrary(Layout.templates.merging(templates) { _, own in own })
        self.secureCookies = secureCookies
    }
}

/// A link in a page's header.
public struct NavigationLink: Sendable {
    public let id: String
    public let href: String
    public let label: String

    public init(id: String, href: String, label: String) {
        self.id = id
        self.href = href
        self.label = label
    }
}

/// What a page's header shows: whose page it is, where to go, how to leave.
public struct PageChrome: Sendable {
    /// The header's name, linking home: the app's name, or a device's model.
    public var title: String
    /// A detail beside it (a device's serial).
    public var detail: String?
    public var links: [NavigationLink]
    /// Where a sign-out form in the header posts, when someone is signed in.
    public var signOutAction: String?

    public init(title: String, detail: String? = nil, links: [NavigationLink] = [], signOutAction: String? = nil) {
        self.title = title
        self.detail = detail
        self.links = links
        self.signOutAction = signOutAction
    }
}
