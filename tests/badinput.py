"""The one check behind every bad-input table: the right exception, a message that helps."""
import pytest


def assert_clear_error(name, call, exc, words):
    """``call()`` raises ``exc`` and its message contains every one of ``words``
    (the argument's name and a way out)."""
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{name}: {word!r} missing from {message!r}"
