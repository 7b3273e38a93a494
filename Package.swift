// swift-tools-version:6.2
import PackageDescription

// Strict settings, as the Hummingbird packages use them: existentials spelled out,
// imports visible only where they are declared, and internal imports by default.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "reclaim",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ReclaimCore", targets: ["ReclaimCore"]),
        .library(name: "DeviceAgent", targets: ["DeviceAgent"]),
        .library(name: "ISAPIClient", targets: ["ISAPIClient"]),
        .library(name: "SADP", targets: ["SADP"]),
        .library(name: "ReclaimLAN", targets: ["ReclaimLAN"]),
        .executable(name: "reclaim", targets: ["reclaim"]),
        .executable(name: "reclaim-device", targets: ["reclaim-device"]),
        .library(name: "Platform", targets: ["Platform"]),
        .executable(name: "reclaim-server", targets: ["reclaim-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
    ],
    targets: [
        // libqrencode from Debian (libqrencode-dev): QR codes for challenge exports.
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(
            name: "ReclaimCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/common-passwords.txt")],
            swiftSettings: strictSettings
        ),
        // libzbar, libpng and libturbojpeg from Debian: reading QR codes from uploaded photos.
        .systemLibrary(name: "CImageScan", providers: [.apt(["libzbar-dev", "libpng-dev", "libturbojpeg0-dev"])]),
        .target(
            name: "QRReader",
            dependencies: ["CImageScan"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ReclaimQR",
            dependencies: ["CQRencode", "ReclaimCore"],
            swiftSettings: strictSettings
        ),
        // What the device web page and the platform portal share: templates, page headers, CSRF, forms.
        .target(
            name: "WebSupport",
            dependencies: [
                "ReclaimCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SADP",
            dependencies: [
                "ReclaimCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DeviceAgent",
            dependencies: [
                "ReclaimCore",
                "SADP",
                "ReclaimQR",
                "WebSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ISAPIClient",
            dependencies: [
                "ReclaimCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ReclaimLAN",
            dependencies: [
                "ReclaimCore",
                "SADP",
                "ReclaimQR",
                "ISAPIClient",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "reclaim",
            dependencies: [
                "ReclaimLAN",
                "ReclaimCore",
                "SADP",
                "ReclaimQR",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Platform",
            dependencies: [
                "ReclaimCore",
                "QRReader",
                "ReclaimQR",
                "WebSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "reclaim-server",
            dependencies: [
                "Platform",
                "ReclaimCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "reclaim-device",
            dependencies: [
                "DeviceAgent",
                "ReclaimCore",
                "ReclaimQR",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Benchmarks, run by scripts/bench; never part of the tests.
        .executableTarget(
            name: "reclaim-bench",
            dependencies: [
                "DeviceAgent",
                "Platform",
                "CImageScan",
                "QRReader",
                "ReclaimQR",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                "ReclaimCore",
                "SADP",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // libFuzzer targets; see scripts/fuzz.
        .executableTarget(
            name: "reclaim-fuzz",
            dependencies: ["ReclaimCore", "SADP", "QRReader", "DeviceAgent", "WebSupport"],
            swiftSettings: strictSettings
        ),
        // What every test suite shares: loggers, folders, clocks, passwords, running devices and platforms.
        .target(
            name: "ReclaimTestSupport",
            dependencies: [
                "ReclaimCore",
                "DeviceAgent",
                "Platform",
                "WebSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Tests/ReclaimTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReclaimCoreTests",
            dependencies: ["ReclaimCore", "ReclaimTestSupport"],
            exclude: ["Vectors"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReclaimLANTests",
            dependencies: ["ReclaimLAN", "SADP", "ReclaimCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SADPTests",
            dependencies: ["SADP", "ReclaimCore"],
            exclude: ["Vectors"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PlatformTests",
            dependencies: [
                "Platform",
                "ReclaimCore",
                "ReclaimTestSupport",
                "QRReader",
                "ReclaimQR",
                "DeviceAgent",
                "WebSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DeviceAgentTests",
            dependencies: [
                "DeviceAgent",
                "WebSupport",
                "ReclaimCore",
                "ReclaimTestSupport",
                "ISAPIClient",
                "SADP",
                "ReclaimLAN",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
