"""Parts shared by screens: pickers, pads, panels, dialogs and the small helpers in `common`."""
