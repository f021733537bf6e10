//! Money is an integer number of minor units plus an ISO 4217 currency code;
//! never a float.
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Minor units (fen for CNY, cents for USD).
    pub minor: i64,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyParseError {
    Empty,
    Invalid,
    TooManyDecimals,
    Overflow,
}

impl Money {
    pub fn new(minor: i64, currency: &str) -> Money {
        Money { minor, currency: currency.to_string() }
    }
    pub fn cny(minor: i64) -> Money {
        Money::new(minor, "CNY")
    }
    /// Minor-unit digits of a currency (all we support use two).
    pub fn decimals(currency: &str) -> u32 {
        match currency {
            "JPY" | "KRW" => 0,
            _ => 2,
        }
    }
    pub fn symbol(&self) -> &str {
        match self.currency.as_str() {
            "CNY" => "¥",
            "USD" => "$",
            "EUR" => "€",
            other => other,
        }
    }
    /// Parses what a person types ("1,234.5", "1234") into minor units.
    pub fn parse(input: &str, currency: &str) -> Result<Money, MoneyParseError> {
        let s: String = input.trim().chars().filter(|c| *c != ',' && *c != ' ' && *c != '，').collect();
        if s.is_empty() {
            return Err(MoneyParseError::Empty);
        }
        let (neg, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest.to_string()),
            None => (false, s),
        };
        let d = Money::decimals(currency);
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), f.to_string()),
            None => (s.clone(), String::new()),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(MoneyParseError::Invalid);
        }
        if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(MoneyParseError::Invalid);
        }
        if frac.len() as u32 > d {
            return Err(MoneyParseError::TooManyDecimals);
        }
        let scale = 10i64.pow(d);
        let int_v: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| MoneyParseError::Overflow)? };
        let frac_v: i64 = if frac.is_empty() {
            0
        } else {
            let padded = format!("{frac:0<width$}", width = d as usize);
            padded.parse().map_err(|_| MoneyParseError::Invalid)?
        };
        let minor = int_v.checked_mul(scale).and_then(|v| v.checked_add(frac_v)).ok_or(MoneyParseError::Overflow)?;
        Ok(Money::new(if neg { -minor } else { minor }, currency))
    }
    /// "¥1,234.50"
    pub fn display(&self) -> String {
        let d = Money::decimals(&self.currency);
        let scale = 10i64.pow(d) as u64;
        let abs = self.minor.unsigned_abs();
        let int = group_thousands(abs / scale);
        let sign = if self.minor < 0 { "-" } else { "" };
        if d == 0 {
            format!("{sign}{}{int}", self.symbol())
        } else {
            format!("{sign}{}{int}.{:0width$}", self.symbol(), abs % scale, width = d as usize)
        }
    }
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display() {
        assert_eq!(Money::parse("1,234.5", "CNY"), Ok(Money::cny(123_450)));
        assert_eq!(Money::parse("0.07", "CNY"), Ok(Money::cny(7)));
        assert_eq!(Money::parse("-12", "USD"), Ok(Money::new(-1200, "USD")));
        assert_eq!(Money::parse("1.234", "CNY"), Err(MoneyParseError::TooManyDecimals));
        assert_eq!(Money::parse("abc", "CNY"), Err(MoneyParseError::Invalid));
        assert_eq!(Money::parse("", "CNY"), Err(MoneyParseError::Empty));
        assert_eq!(Money::parse("99999999999999999999", "CNY"), Err(MoneyParseError::Overflow));
        assert_eq!(Money::cny(123_456_789).display(), "¥1,234,567.89");
        assert_eq!(Money::cny(-5).display(), "-¥0.05");
        assert_eq!(Money::new(1500, "JPY").display(), "JPY1,500");
    }
}
