"""ISO 4217 currencies and their minor units (decimal places).

Only the exceptions to two decimals are listed apart; every other active code has two.
"""

from __future__ import annotations

_ZERO_DECIMALS = frozenset(
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split()
)
_THREE_DECIMALS = frozenset("BHD IQD JOD KWD LYD OMR TND".split())
_FOUR_DECIMALS = frozenset("CLF UYW".split())
_TWO_DECIMALS = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN
    BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR
    KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR
    MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK
    SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU
    UZS VED VES WST XCD XCG YER ZAR ZMW ZWG""".split()
)


def minor_units(code: str) -> int | None:
    """Decimal places of an ISO 4217 currency, or None when *code* is not one.

    >>> minor_units("JPY"), minor_units("EUR"), minor_units("KWD"), minor_units("XYZ")
    (0, 2, 3, None)
    """
    if code in _TWO_DECIMALS:
        return 2
    if code in _ZERO_DECIMALS:
        return 0
    if code in _THREE_DECIMALS:
        return 3
    if code in _FOUR_DECIMALS:
        return 4
    return None


def is_iso_currency(code: str) -> bool:
    return minor_units(code) is not None
