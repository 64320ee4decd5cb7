export const metadata = { title: "tokenstore in Next.js", icons: "data:," };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
