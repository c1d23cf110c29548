// Profile editor helpers. The form works without them; with them:
// - the subdivision select offers the chosen country's subdivisions (from the taxonomy API);
// - the NAICS box suggests codes with titles in the page's language (taxonomy API), and a
//   picked code or certification becomes a ticked box like the ones already chosen;
// - long checklists (languages, countries) get a filter box.
(function () {
  "use strict";
  const form = document.querySelector(".profile-form");
  if (!form) return;

  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  // Subdivisions -----------------------------------------------------------------------
  const country = form.querySelector("select[name=country]");
  const subdivision = form.querySelector("select[name=subdivision]");

  // The page lists every program country's subdivisions in groups: keep the country's own
  // (false when it has no group there).
  function keepCountry(cc) {
    let kept = false;
    for (const group of subdivision.querySelectorAll("optgroup")) {
      if (group.dataset.country === cc) {
        group.replaceWith(...group.children);
        kept = true;
      } else group.remove();
    }
    return kept;
  }

  async function refill(cc) {
    const blank = new Option("—", "");
    if (!cc) {
      subdivision.replaceChildren(blank);
      subdivision.dataset.loaded = "";
      return;
    }
    const url = subdivision.dataset.subdivisions.replace("/CC/", "/" + encodeURIComponent(cc) + "/");
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const { items } = await response.json();
    if (country.value !== cc) return; // the country changed again meanwhile
    const previous = subdivision.value; // possibly picked while the list was loading
    subdivision.replaceChildren(
      blank, ...items.map((item) => new Option(item.name, item.code, false, item.code === previous)));
    subdivision.dataset.loaded = cc;
  }

  if (country && subdivision) {
    country.addEventListener("change", () => refill(country.value));
    // The country may have been chosen before this script ran (a slow page, a form the
    // browser restored): the list follows the form as found.
    if (country.value) {
      if (keepCountry(country.value)) subdivision.dataset.loaded = country.value;
      else refill(country.value);
    }
  }

  // Chosen codes and names as ticked boxes ---------------------------------------------
  function addChip(input, value, html) {
    const chosen = document.getElementById(input.id + "-chosen");
    for (const box of chosen.querySelectorAll("input[type=checkbox]")) {
      if (box.value === value) {
        box.checked = true;
        return;
      }
    }
    const item = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    Object.assign(box, { type: "checkbox", name: input.name, value: value, checked: true });
    const text = document.createElement("span");
    text.append(...html);
    label.append(box, " ", text);
    item.append(label);
    chosen.append(item);
  }

  function whenPicked(input, adopt) {
    input.addEventListener("input", (event) => {
      if (event.inputType === "insertReplacementText") adopt();
    });
    input.addEventListener("change", adopt);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        adopt();
      }
    });
  }

  for (const input of form.querySelectorAll("input[data-naics-search]")) {
    const options = document.getElementById(input.getAttribute("list"));
    const titles = new Map();
    let timer;

    async function suggest(query) {
      if (query.length < 2) return;
      const url = new URL(input.dataset.naicsSearch, window.location.href);
      url.searchParams.set("q", query);
      url.searchParams.set("limit", "15");
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const { items } = await response.json();
      if (input.value.trim() !== query) return; // typed on meanwhile: a later answer follows
      options.replaceChildren(...items.map((item) => {
        // An untranslated (English) title is shown with its translated subsector.
        const title = item.group ? item.group + " › " + item.title : item.title;
        titles.set(item.code, title);
        const option = document.createElement("option");
        option.value = item.code;
        option.label = item.code + " — " + title;
        return option;
      }));
      input.dataset.suggested = String(items.length);
    }

    async function adopt() {
      const code = input.value.trim();
      if (!code) return;
      if (!titles.has(code)) await suggest(code);
      if (!titles.has(code)) return; // not a code: the server names the error by the field
      const bold = document.createElement("b");
      bold.textContent = code;
      addChip(input, code, [bold, " " + titles.get(code)]);
      input.value = "";
    }

    input.addEventListener("input", (event) => {
      if (event.inputType === "insertReplacementText") return;
      clearTimeout(timer);
      timer = setTimeout(() => suggest(input.value.trim()), 150);
    });
    whenPicked(input, adopt);
    if (input.value.trim()) suggest(input.value.trim()); // typed before this script ran
  }

  for (const input of form.querySelectorAll("input[data-names]")) {
    whenPicked(input, () => {
      const names = input.value.split(/[,;]/).map((name) => name.trim()).filter(Boolean);
      for (const name of names) addChip(input, name, [name]);
      input.value = "";
    });
  }

  // Filter boxes for long checklists ----------------------------------------------------
  for (const list of form.querySelectorAll("ul.checklist[data-filter-placeholder]")) {
    const filter = document.createElement("input");
    Object.assign(filter, { type: "search", className: "filter",
                            placeholder: list.dataset.filterPlaceholder });
    filter.setAttribute("aria-label", list.dataset.filterPlaceholder);
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    filter.addEventListener("input", () => {
      const query = fold(filter.value.trim());
      for (const item of list.children) {
        const ticked = item.querySelector("input").checked;
        item.hidden = !ticked && query !== "" && !fold(item.textContent).includes(query);
      }
    });
    list.before(filter);
  }
})();
