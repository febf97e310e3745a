import yfinance as yf


async def history(sym):
    return yf.Ticker(sym).history(period="1mo")  # expect: block


async def ticker(sym):
    return yf.Ticker(sym)  # expect: ok
