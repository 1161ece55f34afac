"""The API's views, one module per area. Thin: authenticate → load through a scoped selector →
call one service → serialize."""
