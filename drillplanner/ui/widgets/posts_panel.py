"""Floor and stairwell posts of a drill run, each with its "floor cleared" confirmation."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from drillplanner.domain.drill_runs import PostAssignment
from drillplanner.i18n import _
from drillplanner.ui.drill_style import SAVED_COLOUR, bold_font, set_text_colour
from drillplanner.ui.signals import emit


def post_text(post: PostAssignment) -> str:
    return _("{post} ({staff})").format(post=post.post, staff=post.staff_name) \
        if post.staff_name else post.post


def cleared_text(post: PostAssignment) -> str:
    if post.cleared_at is None:
        return ""
    when = post.cleared_at.strftime("%H:%M:%S")
    if post.cleared_by:
        return _("✓ cleared {time} by {name}").format(time=when, name=post.cleared_by)
    return _("✓ cleared {time}").format(time=when)


class PostsPanel(QGroupBox):
    """One line a post: its name and staff, then a button or the time it was cleared."""

    #: "Floor cleared" pressed for the post with this id.
    clear_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Floors cleared"), parent)
        self.setObjectName("postsPanel")
        self.setAccessibleName(_("Floor and stairwell posts"))
        self._grid = QGridLayout(self)
        self._grid.setColumnStretch(0, 1)
        self._posts: tuple[PostAssignment, ...] = ()
        self._widgets: list[QWidget] = []
        self.buttons: dict[int, QPushButton] = {}
        self.empty = QLabel(_("No posts: add buildings and floors on the School page."), self)
        self.empty.setWordWrap(True)
        self._grid.addWidget(self.empty, 0, 0, 1, 2)

    def set_posts(self, posts: Sequence[PostAssignment], editable: bool = True) -> None:
        posts = tuple(posts)
        if posts == self._posts and all(b.isEnabled() == editable
                                        for b in self.buttons.values()):
            return
        self._posts = posts
        for widget in self._widgets:
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self._widgets, self.buttons = [], {}
        self.empty.setVisible(not posts)
        for number, post in enumerate(posts):
            # The post's name above its button or confirmation: the panel is narrow.
            row = 1 + number * 2
            name = QLabel(post_text(post), self)
            name.setWordWrap(True)
            self._grid.addWidget(name, row, 0, 1, 2)
            self._widgets.append(name)
            row += 1
            if post.cleared_at is None:
                button = QPushButton(_("Floor cleared"), self)
                button.setAccessibleName(_("{post}: floor cleared").format(post=post.post))
                button.setEnabled(editable)
                button.clicked.connect(
                    lambda _c=False, pid=post.id: emit(self.clear_requested, pid))
                self._grid.addWidget(button, row, 0, 1, 2)
                self._widgets.append(button)
                self.buttons[post.id] = button
            else:
                done = QLabel(cleared_text(post), self)
                set_text_colour(done, SAVED_COLOUR)
                done.setFont(bold_font())
                done.setWordWrap(True)
                self._grid.addWidget(done, row, 0, 1, 2)
                self._widgets.append(done)

    def posts(self) -> tuple[PostAssignment, ...]:
        return self._posts
