/* Replaces pydata-sphinx-theme's scripts/fontawesome.js (1.5 MB: every Font Awesome icon as
   JavaScript SVG data). The theme's stylesheet already carries Font Awesome's CSS and
   @font-face rules, and ships the web fonts in _static/vendor/fontawesome, so each
   <i class="fa-solid fa-…"> icon renders from the font instead: a browser fetches only the
   font it needs (fa-solid-900.woff2, about 150 kB, once per site). See README, "Choices". */
