// The web form an admin pastes into a website: plain HTML and a few lines of script that post
// the visitor's details to the intake endpoint with a form key. Its words are the website's, in
// the language chosen for the form (not the admin's), so they live here rather than in the
// locales.

export type FormLanguage = 'en' | 'fa';

const words: Record<
  FormLanguage,
  { name: string; email: string; phone: string; company: string; message: string; send: string; thanks: string; failed: string }
> = {
  en: {
    name: 'Name',
    email: 'Email',
    phone: 'Phone',
    company: 'Company',
    message: 'Message',
    send: 'Send',
    thanks: 'Thank you! We will be in touch soon.',
    failed: 'Sorry, that did not go through. Please check your details and try again.',
  },
  fa: {
    name: 'نام',
    email: 'ایمیل',
    phone: 'تلفن',
    company: 'شرکت',
    message: 'پیام',
    send: 'ارسال',
    thanks: 'سپاس! به‌زودی با شما تماس می‌گیریم.',
    failed: 'متأسفانه فرستاده نشد. لطفاً اطلاعات را بررسی کنید و دوباره بفرستید.',
  },
};

/** A stand-in for the key until one is made or pasted. */
export const keyPlaceholder = 'YOUR_FORM_KEY';

/** A string literal for the script: JSON, with `<` escaped so that no value can close the script element. */
function scriptString(value: string): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

/**
 * The snippet for a form posting to `origin`'s intake with `key`. Empty fields are left out
 * (the API takes an email or a phone, and no empty strings); the campaign names the page the
 * visitor was on.
 */
export function webFormSnippet({ origin, key, language }: { origin: string; key: string; language: FormLanguage }): string {
  const w = words[language];
  const dir = language === 'fa' ? ' dir="rtl"' : '';
  return `<form id="kariz-lead-form"${dir}>
  <p><label>${w.name} <input name="name" required maxlength="200"></label></p>
  <p><label>${w.email} <input name="email" type="email" maxlength="254"></label></p>
  <p><label>${w.phone} <input name="phone" type="tel" maxlength="40"></label></p>
  <p><label>${w.company} <input name="company" maxlength="200"></label></p>
  <p><label>${w.message} <textarea name="notes" maxlength="5000"></textarea></label></p>
  <p><button type="submit">${w.send}</button></p>
  <p role="status"></p>
</form>
<script>
  document.getElementById('kariz-lead-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const status = form.querySelector('[role="status"]');
    const lead = Object.fromEntries([...new FormData(form)].map(([field, value]) => [field, value.trim()]).filter(([, value]) => value !== ''));
    lead.campaign = location.pathname;
    try {
      const response = await fetch(${scriptString(`${origin}/api/v1/intake/leads`)}, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: ${scriptString(`Bearer ${key || keyPlaceholder}`)} },
        body: JSON.stringify(lead),
      });
      if (!response.ok) throw new Error(String(response.status));
      form.reset();
      status.textContent = ${scriptString(w.thanks)};
    } catch {
      status.textContent = ${scriptString(w.failed)};
    }
  });
</script>
`;
}
