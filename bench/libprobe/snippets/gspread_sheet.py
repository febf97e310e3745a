import gspread
from gspread.utils import rowcol_to_a1

gc = gspread.service_account()


async def write(v):
    sh = gc.open("Example")
    sh.sheet1.update_acell("B1", v)  # expect: block


async def cell():
    return rowcol_to_a1(1, 2)  # expect: ok
