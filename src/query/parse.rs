//! The rule language's syntax: text → [`Expr`], with the column of every part.
//!
//! ```text
//! or      := and ("OR" and)*
//! and     := unary ("AND" unary)*
//! unary   := "NOT" unary | near
//! near    := primary ("NEAR/" n primary)*
//! primary := word | =word | prefix* | ["="] "a phrase[*]" ["~" n] | "(" or ")"
//! ```
//! Operators are upper-case. Two words side by side without an operator are an error
//! rather than a silent AND or phrase: the researcher must say which they mean.

use crate::error::{Error, Result};

/// A parsed rule or query, before analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A word matched by its stem (several words, e.g. `self-belief`, form a phrase).
    Term {
        /// The word as written.
        text: String,
        /// 1-based column in the query.
        column: usize,
    },
    /// `=word`: the exact lower-cased form.
    Exact {
        /// The word without `=`.
        text: String,
        /// 1-based column.
        column: usize,
    },
    /// `prefix*`: any word starting with the prefix (unstemmed).
    Prefix {
        /// The prefix without `*`.
        text: String,
        /// 1-based column.
        column: usize,
    },
    /// `"a phrase"~n`: the words in order, stemmed, with at most `slop` words between;
    /// `="a phrase"` matches the exact word forms; a `*` ending the last word makes it a
    /// prefix (`"a level*"`).
    Phrase {
        /// The phrase's text (without a trailing `*`).
        text: String,
        /// Extra words allowed in total between the phrase's words.
        slop: usize,
        /// `="…"`: exact word forms, not stems.
        exact: bool,
        /// The last word is a prefix.
        prefix: bool,
        /// 1-based column of the opening quote.
        column: usize,
    },
    /// `a NEAR/n b`: both within `distance` words of each other, either order.
    Near {
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
        /// Largest distance in word positions.
        distance: usize,
        /// 1-based column of the operator.
        column: usize,
    },
    /// All must match.
    And(Vec<Expr>),
    /// At least one must match.
    Or(Vec<Expr>),
    /// Must not match.
    Not(Box<Expr>),
}

impl Expr {
    /// Whether the expression matches stretches of words (so NEAR can measure distance).
    pub fn has_spans(&self) -> bool {
        match self {
            Expr::Term { .. } | Expr::Exact { .. } | Expr::Prefix { .. } | Expr::Phrase { .. } => {
                true
            }
            Expr::Near { .. } => true,
            Expr::Or(items) => items.iter().all(Expr::has_spans),
            Expr::And(_) | Expr::Not(_) => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    Near(usize),
    Phrase { text: String, slop: usize, exact: bool, prefix: bool },
    Word(String),
}

/// Parse a rule or query.
///
/// # Errors
/// [`Error::Query`] with the column of the problem and what was expected.
pub fn parse(query: &str) -> Result<Expr> {
    let tokens = lex(query)?;
    let end_column = query.chars().count() + 1;
    if tokens.is_empty() {
        return Err(query_error(1, "empty query; expected a word, a phrase or `(`"));
    }
    let mut parser = Parser { tokens, position: 0, end_column, depth: 0 };
    let expr = parser.or()?;
    if let Some((_, column)) = parser.peek() {
        return Err(query_error(*column, "unexpected `)`; no `(` to close"));
    }
    Ok(expr)
}

fn query_error(column: usize, message: impl Into<String>) -> Error {
    Error::Query { column, message: message.into() }
}

fn lex(query: &str) -> Result<Vec<(Token, usize)>> {
    let chars: Vec<char> = query.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let column = i + 1;
        match chars[i] {
            c if c.is_whitespace() => i += 1,
            '(' => {
                tokens.push((Token::Open, column));
                i += 1;
            }
            ')' => {
                tokens.push((Token::Close, column));
                i += 1;
            }
            '"' | '=' if chars[i] == '"' || chars.get(i + 1) == Some(&'"') => {
                let exact = chars[i] == '=';
                if exact {
                    i += 1;
                }
                let close =
                    chars[i + 1..].iter().position(|&c| c == '"').map(|p| i + 1 + p).ok_or_else(
                        || query_error(column, "unclosed quote; expected a closing `\"`"),
                    )?;
                let mut text: String = chars[i + 1..close].iter().collect();
                let prefix = text.trim_end().ends_with('*');
                if prefix {
                    text = text.trim_end().trim_end_matches('*').to_owned();
                }
                if let Some(star) = text.find('*') {
                    let at = i + 2 + text[..star].chars().count();
                    return Err(query_error(
                        at,
                        "`*` is allowed in a phrase only at the end of its last word",
                    ));
                }
                i = close + 1;
                let mut slop = 0;
                if chars.get(i) == Some(&'~') {
                    let digits: String =
                        chars[i + 1..].iter().take_while(|c| c.is_ascii_digit()).collect();
                    slop = digits
                        .parse()
                        .map_err(|_| query_error(i + 1, "expected a number of words after `~`"))?;
                    i += 1 + digits.len();
                }
                tokens.push((Token::Phrase { text, slop, exact, prefix }, column));
            }
            _ => {
                let word: String = chars[i..]
                    .iter()
                    .take_while(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '"'))
                    .collect();
                i += word.chars().count();
                tokens.push((keyword(&word, column)?, column));
            }
        }
    }
    Ok(tokens)
}

fn keyword(word: &str, column: usize) -> Result<Token> {
    Ok(match word {
        "AND" => Token::And,
        "OR" => Token::Or,
        "NOT" => Token::Not,
        _ if word.starts_with("NEAR") => {
            let distance =
                word.strip_prefix("NEAR/").and_then(|n| n.parse().ok()).ok_or_else(|| {
                    query_error(column, "expected NEAR/n with a number of words, e.g. NEAR/5")
                })?;
            Token::Near(distance)
        }
        _ => Token::Word(word.to_owned()),
    })
}

/// Deepest nesting of `(` and `NOT` a rule may have: far beyond any real rule, and a bound
/// on the recursion of parsing and matching (a hostile rule cannot exhaust the stack).
pub const MAX_NESTING: usize = 100;

struct Parser {
    tokens: Vec<(Token, usize)>,
    position: usize,
    end_column: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&(Token, usize)> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<(Token, usize)> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    fn or(&mut self) -> Result<Expr> {
        let mut items = vec![self.and()?];
        while matches!(self.peek(), Some((Token::Or, _))) {
            self.next();
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::Or(items) })
    }

    fn and(&mut self) -> Result<Expr> {
        let mut items = vec![self.unary()?];
        loop {
            match self.peek() {
                Some((Token::And, _)) => {
                    self.next();
                    items.push(self.unary()?);
                }
                Some((
                    Token::Word(_) | Token::Phrase { .. } | Token::Open | Token::Not,
                    column,
                )) => {
                    return Err(query_error(
                        *column,
                        "expected AND, OR or NEAR/n before this; to match words next to each \
                         other, quote them as a phrase",
                    ));
                }
                _ => break,
            }
        }
        Ok(if items.len() == 1 { items.remove(0) } else { Expr::And(items) })
    }

    fn unary(&mut self) -> Result<Expr> {
        if let Some((Token::Not, column)) = self.peek().cloned() {
            self.next();
            self.enter(column)?;
            let inner = self.unary();
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner?)));
        }
        self.near()
    }

    fn enter(&mut self, column: usize) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(query_error(
                column,
                format!("a rule may nest at most {MAX_NESTING} parentheses or NOTs"),
            ));
        }
        Ok(())
    }

    fn near(&mut self) -> Result<Expr> {
        let mut left = self.primary()?;
        while let Some((Token::Near(distance), column)) = self.peek().cloned() {
            self.next();
            let right = self.primary()?;
            if !left.has_spans() || !right.has_spans() {
                return Err(query_error(
                    column,
                    "NEAR needs words, phrases, prefixes or an OR of them on both sides",
                ));
            }
            left = Expr::Near { left: Box::new(left), right: Box::new(right), distance, column };
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Expr> {
        let Some((token, column)) = self.next() else {
            return Err(query_error(
                self.end_column,
                "expected a word, a phrase or `(` at the end",
            ));
        };
        match token {
            Token::Word(word) => word_expr(word, column),
            Token::Phrase { text, slop, exact, prefix } => {
                Ok(Expr::Phrase { text, slop, exact, prefix, column })
            }
            Token::Open => {
                self.enter(column)?;
                let inner = self.or();
                self.depth -= 1;
                let inner = inner?;
                match self.next() {
                    Some((Token::Close, _)) => Ok(inner),
                    Some((_, at)) => Err(query_error(
                        at,
                        format!("expected `)` to close `(` at column {column}"),
                    )),
                    None => Err(query_error(
                        self.end_column,
                        format!("expected `)` to close `(` at column {column}"),
                    )),
                }
            }
            Token::Close => {
                Err(query_error(column, "unexpected `)`; expected a word, a phrase or `(`"))
            }
            Token::And | Token::Or | Token::Near(_) | Token::Not => {
                Err(query_error(column, "expected a word, a phrase or `(` before this operator"))
            }
        }
    }
}

fn word_expr(word: String, column: usize) -> Result<Expr> {
    if let Some(exact) = word.strip_prefix('=') {
        if exact.is_empty() || exact.contains('*') {
            return Err(query_error(column, "expected a word after `=`"));
        }
        return Ok(Expr::Exact { text: exact.to_owned(), column });
    }
    if let Some(star) = word.find('*') {
        if star + 1 != word.len() {
            return Err(query_error(
                column + word[..star].chars().count(),
                "`*` is allowed only at the end of a word",
            ));
        }
        if star == 0 {
            return Err(query_error(column, "expected at least one letter before `*`"));
        }
        return Ok(Expr::Prefix { text: word[..star].to_owned(), column });
    }
    Ok(Expr::Term { text: word, column })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(text: &str, column: usize) -> Expr {
        Expr::Term { text: text.into(), column }
    }

    fn error(query: &str) -> (usize, String) {
        match parse(query) {
            Err(Error::Query { column, message }) => (column, message),
            other => panic!("expected a query error, got {other:?}"),
        }
    }

    #[test]
    fn precedence_is_not_near_and_or() {
        let expr = parse("a OR b AND NOT c").expect("valid");
        assert_eq!(
            expr,
            Expr::Or(vec![
                term("a", 1),
                Expr::And(vec![term("b", 6), Expr::Not(Box::new(term("c", 16)))])
            ])
        );
    }

    #[test]
    fn phrases_prefixes_exact_and_near() {
        let expr =
            parse("\"set targets\"~2 OR target* OR =goal OR trust NEAR/5 mentor").expect("valid");
        let Expr::Or(items) = expr else { panic!("or") };
        assert_eq!(
            items[0],
            Expr::Phrase {
                text: "set targets".into(),
                slop: 2,
                exact: false,
                prefix: false,
                column: 1
            }
        );
        assert_eq!(items[1], Expr::Prefix { text: "target".into(), column: 20 });
        assert_eq!(items[2], Expr::Exact { text: "goal".into(), column: 31 });
        assert!(matches!(items[3], Expr::Near { distance: 5, column: 46, .. }));
    }

    #[test]
    fn syntax_errors_point_at_the_column() {
        assert_eq!(error("set targets").0, 5);
        assert_eq!(error("(a OR b").0, 8);
        assert_eq!(error("a AND").0, 6);
        assert_eq!(error("\"open").0, 1);
        assert_eq!(error("a NEAR b").0, 3);
        assert_eq!(error("mot*ivation").0, 4);
        assert_eq!(error("a)").0, 2);
        assert_eq!(error("(a AND b) NEAR/3 c").0, 11);
        assert_eq!(error("  ").0, 1);
        assert_eq!(error("\"predict* grade\"").0, 9);
        assert_eq!(error("=\"predict* grade\"").0, 10);
    }

    #[test]
    fn exact_phrases_and_a_prefix_on_the_last_word() {
        let phrase = |text: &str, exact, prefix| Expr::Phrase {
            text: text.into(),
            slop: 0,
            exact,
            prefix,
            column: 1,
        };
        assert_eq!(parse("=\"a level*\"").expect("valid"), phrase("a level", true, true));
        assert_eq!(parse("\"target grade*\"").expect("valid"), phrase("target grade", false, true));
        assert_eq!(parse("=\"set targets\"").expect("valid"), phrase("set targets", true, false));
    }
}
