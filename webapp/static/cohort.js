// Cohort form helper. The form works without it (the lists show each person's id to type);
// with it, picking a person from a "Find … by name" list adds their id to the ids box.
(function () {
  "use strict";
  for (const finder of document.querySelectorAll(".finder[data-finder-for]")) {
    const input = finder.querySelector("input[list]");
    const ids = document.getElementById(finder.dataset.finderFor);
    const list = document.getElementById(input.getAttribute("list"));
    if (!ids || !list) continue;
    const status = document.createElement("p");
    status.className = "hint";
    status.setAttribute("role", "status");
    finder.append(status);

    function adopt() {
      const option = [...list.options].find((o) => o.value === input.value.trim());
      if (!option) return false;
      const chosen = ids.value.split(/[\s,;]+/).filter(Boolean);
      if (!chosen.includes(option.value)) chosen.push(option.value);
      ids.value = chosen.join(", ");
      status.textContent = option.value + " — " + option.textContent.trim();
      input.value = "";
      return true;
    }

    input.addEventListener("input", (event) => {
      // A pick from the list (not typing an id digit by digit) adds at once.
      if (event.inputType === "insertReplacementText" || event.inputType === undefined) adopt();
    });
    input.addEventListener("change", adopt);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && adopt()) event.preventDefault();
    });
  }
})();
