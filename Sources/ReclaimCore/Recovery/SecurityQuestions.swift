import Foundation

/// One question of the fixed catalogue, in every language the device speaks.
public struct SecurityQuestion: Sendable, Hashable, Identifiable {
    public let id: Int
    public let english: String
    public let italian: String

    public func text(_ language: Language) -> String { language == .italian ? italian : english }
}

/// The catalogue of security questions, the rules for choosing them, and how answers
/// are compared: normalised, then checked against a salted slow hash.
public enum SecurityQuestions {
    /// How many questions an owner picks, all different; all must be answered right.
    public static let requiredCount = 3

    public static let catalogue: [SecurityQuestion] = [
        .init(id: 1, english: "What is your mother's maiden name?", italian: "Qual è il cognome da nubile di tua madre?"),
        .init(id: 2, english: "What was the name of your first pet?", italian: "Come si chiamava il tuo primo animale domestico?"),
        .init(id: 3, english: "In which city were you born?", italian: "Qual è la tua città natale?"),
        .init(id: 4, english: "What was the name of your primary school?", italian: "Come si chiamava la tua scuola elementare?"),
        .init(id: 5, english: "What was the make of your first car?", italian: "Di che marca era la tua prima auto?"),
        .init(id: 6, english: "On which street did you grow up?", italian: "In quale via hai trascorso l'infanzia?"),
        .init(id: 7, english: "What was your childhood nickname?", italian: "Qual era il tuo soprannome d'infanzia?"),
        .init(id: 8, english: "What is the title of your favourite book?", italian: "Qual è il titolo del tuo libro preferito?"),
        .init(id: 9, english: "What was the name of your first employer?", italian: "Come si chiamava il tuo primo datore di lavoro?"),
        .init(id: 10, english: "In which city did your parents meet?", italian: "In quale città si sono conosciuti i tuoi genitori?"),
        .init(
            id: 11, english: "What is the first name of your oldest cousin?",
            italian: "Come si chiama il più grande dei tuoi cugini?"),
        .init(id: 12, english: "What was your favourite subject at school?", italian: "Qual era la tua materia preferita a scuola?"),
        .init(id: 13, english: "What was the name of your favourite teacher?", italian: "Come si chiamava l'insegnante che preferivi?"),
        .init(id: 14, english: "What was the first concert you attended?", italian: "Qual è stato il primo concerto a cui hai assistito?"),
        .init(id: 15, english: "What is your favourite film?", italian: "Qual è il tuo film preferito?"),
    ]

    public static func question(id: Int) -> SecurityQuestion? {
        catalogue.first { $0.id == id }
    }

    /// The form an answer is compared in: compatibility-normalised, without case,
    /// accents or punctuation, with single spaces. "  Sant'Elia " and "sant elia" match.
    public static func normalize(_ answer: String) -> String {
        let folded = answer.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if properties.isWhitespace || properties.generalCategory == .otherPunctuation
                || properties.generalCategory == .dashPunctuation || properties.generalCategory == .initialPunctuation
                || properties.generalCategory == .finalPunctuation
            {
                // Punctuation separates words like a space: "O'Brien" = "o brien".
                if !current.isEmpty { words.append(current) }
                current = ""
            }
            // Anything else (symbols, marks left over) is dropped.
        }
        if !current.isEmpty { words.append(current) }
        return words.joined(separator: " ")
    }

    /// One chosen question with its answer, as the owner typed it.
    public struct Choice: Sendable, Hashable {
        public let questionID: Int
        public let answer: String
        public init(questionID: Int, answer: String) {
            self.questionID = questionID
            self.answer = answer
        }
    }

    /// Checks a set of choices: three distinct catalogue questions, none left blank.
    public static func validate(_ choices: [Choice]) throws(ReclaimError) {
        guard choices.count == requiredCount else {
            throw ReclaimError(.malformedInput, "Choose exactly \(requiredCount) security questions and answer each one.")
        }
        guard Set(choices.map(\.questionID)).count == requiredCount else {
            throw ReclaimError(.malformedInput, "The \(requiredCount) security questions must all be different.")
        }
        for choice in choices {
            guard question(id: choice.questionID) != nil else {
                throw ReclaimError(
                    .malformedInput, "Question \(choice.questionID) is not in the catalogue; pick questions 1 to \(catalogue.count).")
            }
            guard normalize(choice.answer).count >= 2 else {
                throw ReclaimError(.malformedInput, "Answer \(choice.questionID) is too short: give at least two letters or digits.")
            }
            guard choice.answer.utf8.count <= 128 else {
                throw ReclaimError(.malformedInput, "Answer \(choice.questionID) is too long: keep it under 128 characters.")
            }
        }
    }

    /// The stored form of one answer.
    public struct Record: Sendable, Hashable, Codable {
        public let questionID: Int
        public let answerHash: SlowHash

        public init(_ choice: Choice, cost: SlowHash.Cost) {
            questionID = choice.questionID
            answerHash = SlowHash(hashing: normalize(choice.answer), cost: cost)
        }

        public func matches(_ answer: String) -> Bool {
            answerHash.matches(normalize(answer))
        }
    }
}
